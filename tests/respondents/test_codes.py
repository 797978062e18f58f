import pytest

from surveyapp.respondents import codes


def test_new_codes_are_well_formed_and_shown_in_two_groups():
    for _ in range(200):
        code = codes.new_code()
        assert len(code) == 8 and code[4] == "-"
        assert codes.is_well_formed(code)


def test_every_single_wrong_character_is_caught():
    code = codes.new_code().replace("-", "")
    for position in range(len(code)):
        for char in codes.ALPHABET:
            if char != code[position]:
                typo = code[:position] + char + code[position + 1 :]
                assert not codes.is_well_formed(typo), typo


def test_every_swap_of_two_neighbours_is_caught():
    body = "23456A"
    code = body + codes.check_character(body)
    for position in range(len(code) - 1):
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        if swapped != code:
            assert not codes.is_well_formed(swapped), swapped


@pytest.mark.parametrize("typed", ["k4m7p9x", " K4M7 - P9X ", "К4М7-Р9Х"])
def test_typed_codes_are_normalised_including_cyrillic_lookalikes(typed):
    # "К4М7-Р9Х" is typed with Cyrillic К, М, Р, Х on a Russian or Kyrgyz keyboard.
    assert codes.normalise(typed) == "K4M7-P9X"


def test_characters_that_are_easy_to_confuse_are_not_used():
    assert not set("01IOL") & set(codes.ALPHABET)
