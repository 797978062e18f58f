# The two commands of the README: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
TRANSLATIONS := surveyapp/translations

.PHONY: run test install translations chromium extract-messages update-messages

$(BIN)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

translations: install
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics

run: install translations
	$(FLASK) db upgrade
	$(FLASK) instruments load
	$(FLASK) activities load
	$(FLASK) demo seed
	$(FLASK) demo programme
	$(BIN)/python -m aiosmtpd -n -l 127.0.0.1:8025 & mail=$$!; \
	$(FLASK) alerts work & worker=$$!; \
	$(FLASK) exports work & exports=$$!; \
	trap 'kill $$worker $$exports $$mail 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# The browser tests drive Debian's Chromium (never a browser that Playwright downloads) and render a PDF page to
# PNG with poppler's pdftoppm.
CHROMIUM := /usr/bin/chromium
PDFTOPPM := /usr/bin/pdftoppm

chromium:
	@if [ ! -x $(CHROMIUM) ] || [ ! -x $(PDFTOPPM) ]; then \
	  if [ "$$(id -u)" = 0 ] && apt-get update -q && apt-get install -y -q chromium poppler-utils; then :; \
	  else echo "*** Chromium or pdftoppm could not be installed at $(CHROMIUM), $(PDFTOPPM) (needs root and Debian's apt): the browser tests (tests/browser) will be skipped. ***"; fi; \
	fi

test: install translations chromium
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy surveyapp
	$(BIN)/pytest

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot --no-location --sort-output .

update-messages: extract-messages
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete
