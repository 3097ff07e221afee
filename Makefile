# Čitaonica: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DJANGO_DEBUG=1

.PHONY: install run test lint migrations-check collectstatic messages bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

var:
	mkdir -p var

# The mail queue is delivered (to the console) by a background runmailer that stops with the server.
run: install var
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo --with-users
	$(DEV) $(PY) manage.py load_demo_comments
	$(DEV) $(PY) manage.py runmailer & mailer=$$!; trap 'kill $$mailer' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

# PostgreSQL when its server binaries are on the machine (a throwaway cluster), SQLite otherwise.
test: install
	.ci/with-database $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(PY) -m ruff check .

migrations-check: install
	DJANGO_SECRET_KEY=migrations-check $(PY) manage.py makemigrations --check --dry-run

# Serbian catalogue: extract new strings, translate them in config/locale/sr_Latn/LC_MESSAGES/django.po, compile.
messages: install
	$(DEV) $(PY) manage.py makemessages -l sr_Latn --no-location --ignore=var --ignore=node_modules
	$(DEV) $(PY) manage.py compilemessages -l sr_Latn --ignore=.venv --ignore=var

# Reader pages under gunicorn and wrk, written to docs/benchmarks.md (BENCH_ARGS="--scale large" for 100,000
# articles and 1,000,000 comments), then search latency over 100,000 articles. Installs wrk and Redis if missing.
bench: install
	@command -v wrk >/dev/null && command -v redis-server >/dev/null || { \
		echo "Installing system packages: wrk redis-server"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			-o DPkg::Lock::Timeout=600 wrk redis-server >/dev/null; }
	.ci/with-database $(PY) -m bench.run $(BENCH_ARGS)
	.ci/with-database $(PY) bench/search.py $(SEARCH_BENCH_ARGS)

collectstatic: install
	DJANGO_SECRET_KEY=collectstatic $(PY) manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) var
