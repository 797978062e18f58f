"""One training's results, from its submissions: each participant's percent correct, the group's means, both
normalized gains, the paired tests and the questions. Every expected value is worked by hand in the comments
(percent correct = 100 x right / 4 questions, an unanswered question counting as wrong; Hake 1998,
Am. J. Phys. 66(1), 64-74, for the gain on class averages). The group's answers: held_training in conftest.py."""

import pytest
from scipy import stats

from surveyapp.auth.models import Role
from surveyapp.errors import InvalidAnswers
from surveyapp.extensions import db
from surveyapp.respondents import services as respondents
from surveyapp.respondents.models import RespondentKind
from surveyapp.trainings.models import TrainingParticipant
from surveyapp.trainings.results import ChildrenAreNotListed, NoKnowledgeTest, training_result


@pytest.fixture
def trainer(make_user):
    return make_user(Role.TRAINER, "trainer-aigul")[0]


@pytest.fixture
def three_matched(held_training, trainer):
    return held_training(trainer)


def test_each_participant_is_shown_by_the_name_entered_with_percent_before_and_after(three_matched):
    training, unlisted = three_matched
    result = training_result(training)
    shown = [(p.name, p.organisation, p.percent_pre, p.percent_post, p.is_listed) for p in result.participants]
    assert shown == [
        ("Айгүл Өмүрова", "Мэрия, балдарды коргоо бөлүмү", 25, 75, True),
        ("Бакыт Исаев", "1-аймактык башкармалык", 50, 100, True),
        ("Нурлан Жээнбеков", "", 100, 75, True),
        ("Өмүр Ташиева", "Мектеп № 5", 25, None, True),
        (unlisted, "", None, 50, False),  # not on the list: shown by the code typed at the kiosk
    ]
    assert [p.code for p in result.participants][:4] == [p.respondent.code for p in training.participants]


def test_the_group_result_counts_those_who_took_both_tests(three_matched):
    # Matched: Айгүл, Бакыт, Нурлан. Before (25 + 50 + 100) / 3 = 58.33%; after (75 + 100 + 75) / 3 = 83.33%;
    # change 83.33 - 58.33 = +25 points. Өмүр took the test before only, the unlisted code the test after only.
    gain = training_result(three_matched[0]).gain
    assert (gain.n_matched, gain.n_pre_only, gain.n_post_only) == (3, 1, 1)
    assert gain.mean_percent_pre == pytest.approx(175 / 3)
    assert gain.mean_percent_post == pytest.approx(250 / 3)
    assert gain.mean_gain_points == pytest.approx(25)


def test_both_normalized_gains(three_matched):
    # Hake's gain on the class averages: (250/3 - 175/3) / (100 - 175/3) = 25 / (125/3) = 0.6.
    # Individual gains: Айгүл (75 - 25) / (100 - 25) = 2/3, Бакыт (100 - 50) / (100 - 50) = 1; Нурлан had 100%
    # before (undefined, left out). Mean (2/3 + 1) / 2 = 5/6 = 0.833, over 2 participants.
    gain = training_result(three_matched[0]).gain
    assert gain.hake_gain_of_class_averages == pytest.approx(0.6)
    assert gain.mean_of_individual_normalized_gains == pytest.approx(5 / 6)
    assert gain.n_individual_gains == 2


def test_percent_correct_per_question_with_its_topic_and_text(three_matched):
    # Of Айгүл, Бакыт, Нурлан (before RWW-, RRWW, RRRR; after RRRW, RRRR, RRRW):
    # q1 before R R R 100%, after R R R 100%; q2 before W R R 66.7%, after 100%;
    # q3 before W W R 33.3%, after 100%; q4 before - W R 33.3%, after W R W 33.3% (not learned).
    questions = training_result(three_matched[0]).questions
    assert [q.number for q in questions] == [1, 2, 3, 4]
    assert [q.percent_pre for q in questions] == pytest.approx([100, 200 / 3, 100 / 3, 100 / 3])
    assert [q.percent_post for q in questions] == pytest.approx([100, 100, 100, 100 / 3])
    assert questions[0].text["ky"] == "Окууга чейинки 1-суроо" and questions[0].topic["en"] == "The law"
    assert questions[3].topic["ky"] == "Бала менен сүйлөшүү"


def test_three_pairs_are_too_few_for_a_test(three_matched):
    result = training_result(three_matched[0])
    assert not result.can_be_tested
    assert result.t_test.n_pairs == result.wilcoxon.n_pairs == 3


def test_six_pairs_are_tested_with_the_paired_t_test_and_wilcoxon(six_pair_training, trainer):
    # Changes (six_pair_training in conftest.py) 25, 25, 50, 25, 0, 25: mean 150/6 = 25; squared deviations
    # 0, 0, 625, 0, 625, 0, SD^2 = 1250/5 = 250; t = 25 / sqrt(250/6) = sqrt(15) = 3.873 with df 5.
    # Wilcoxon: the zero change is dropped; the 5 others are all positive, so T- = 0 and, of the 2^5 = 32 equally
    # likely sign patterns, only all-plus and all-minus are as extreme: p = 2/32 = 0.0625 (ties: exact permutation).
    result = training_result(six_pair_training(trainer))
    assert result.can_be_tested and result.gain.n_matched == 6
    assert result.t_test.t_statistic == pytest.approx(15**0.5)
    assert result.t_test.df == 5
    assert result.t_test.p_value == pytest.approx(2 * stats.t.sf(15**0.5, 5))  # 0.0117
    assert result.wilcoxon.rank_sum_negative == 0 and result.wilcoxon.n_nonzero == 5
    assert result.wilcoxon.p_value == pytest.approx(2 / 32)


def test_a_participant_who_left_the_form_blank_is_not_counted(make_training, add_participant, take_test, trainer):
    # A form with no answer is refused (it would use up the participant's one submission), so, as in the
    # indicator report, it is not a test taken: 0% would be a result the participant never gave.
    training = make_training(trainer)
    code = add_participant(training, "Айгүл")
    with pytest.raises(InvalidAnswers):
        take_test(training, "pre", code, "----")
    db.session.rollback()
    take_test(training, "post", code, "RRRR")
    result = training_result(training)
    assert (result.participants[0].percent_pre, result.participants[0].percent_post) == (None, 100)
    assert (result.gain.n_matched, result.gain.n_post_only) == (0, 1)


def test_a_training_without_a_knowledge_test_on_both_sides_has_no_result(make_training, trainer):
    training = make_training(trainer)
    db.session.delete(training.post_session)
    db.session.commit()
    with pytest.raises(NoKnowledgeTest):
        training_result(db.session.get(type(training), training.id))


def test_children_are_never_listed_by_name(make_training, trainer):
    training = make_training(trainer)
    child = respondents.register(RespondentKind.CHILD, None, 2013, None)
    db.session.add(TrainingParticipant(training=training, respondent=child, name="A child's name"))
    db.session.commit()
    with pytest.raises(ChildrenAreNotListed):
        training_result(training)
    training.respondent_kind = RespondentKind.CHILD
    training.participants.clear()
    db.session.commit()
    with pytest.raises(ChildrenAreNotListed):
        training_result(training)
