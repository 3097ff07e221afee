# Čitaonica: `make run` serves the demo site, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEV := DJANGO_DEBUG=1

.PHONY: install run serve test test-sqlite lint migrations-check collectstatic messages bench bench-lag clean backup restore soak audit fonts

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

var:
	mkdir -p var

# The mail queue is delivered (to the console) by a background runmailer that stops with the server; the
# "Moji komentari" links readers ask for are queued for it every few seconds by another (cron in production).
run: install var
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_demo --with-users
	$(DEV) $(PY) manage.py load_demo_comments
	$(DEV) $(PY) manage.py runmailer & mailer=$$!; \
	$(DEV) $(PY) manage.py send_my_comments_links --every 5 & links=$$!; \
	trap 'kill $$mailer $$links' EXIT INT TERM; \
	$(DEV) $(PY) manage.py runserver 127.0.0.1:8000

# The site as production runs it, on http://127.0.0.1:8000 (GUNICORN_BIND, GUNICORN_WORKERS): gunicorn with
# config/gunicorn.py and DEBUG off, with a secret key made once into var/secret_key unless DJANGO_SECRET_KEY is
# set. DJANGO_SECURE=0 (unless set) because this is plain http on loopback: a browser would never send Secure
# cookies back to it, so no one could sign in. Production serves https and leaves DJANGO_SECURE on.
SERVE := DJANGO_DEBUG=0 DJANGO_SECURE="$${DJANGO_SECURE:-0}" DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat var/secret_key)}"
serve: install var
	@test -n "$$DJANGO_SECRET_KEY" || test -s var/secret_key || \
		(umask 077 && $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key)
	$(SERVE) $(PY) manage.py collectstatic --noinput -v0
	$(SERVE) $(PY) manage.py migrate --noinput
	$(SERVE) $(VENV)/bin/gunicorn -c config/gunicorn.py config.wsgi

# PostgreSQL when its server binaries are on the machine (a throwaway cluster), SQLite otherwise.
test: install
	.ci/with-database $(PY) -m pytest $(PYTEST_ARGS)

# The tests marked sqlite_pass again on the embedded default (DATABASE_URL unset: SQLite), with the test database
# in a file under var/ rather than in memory, so that the gunicorn nodes some of them start can open it too.
SQLITE_TEST_FILE := $(CURDIR)/var/test-sqlite.db
test-sqlite: install var
	rm -f $(SQLITE_TEST_FILE) $(SQLITE_TEST_FILE)-wal $(SQLITE_TEST_FILE)-shm
	env -u DATABASE_URL -u DJANGO_DATABASE_REPLICA_URL DJANGO_SQLITE_TEST_FILE=$(SQLITE_TEST_FILE) \
		$(PY) -m pytest -m sqlite_pass $(PYTEST_ARGS)

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
# ČčĆćĐđŠšŽž cut from Fontsource's latin-ext subsets (see static/css/site.css), so Serbian Latin pages load 3 KB.
SERBIAN_LATIN := U+0106-0107,U+010C-010D,U+0110-0111,U+0160-0161,U+017D-017E
fonts: install
	for face in noto-serif-wght-normal noto-serif-wght-italic noto-sans-wght-normal; do \
	  family=$${face%%-wght-*}; style=$${face#*-wght-}; \
	  $(VENV)/bin/pyftsubset static/fonts/$$family-latin-ext-wght-$$style.woff2 --unicodes="$(SERBIAN_LATIN)" \
	    --layout-features='*' --flavor=woff2 --output-file=static/fonts/$$family-serbian-latin-wght-$$style.woff2; \
	done

bench: install
	@command -v wrk >/dev/null && command -v redis-server >/dev/null || { \
		echo "Installing system packages: wrk redis-server"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			-o DPkg::Lock::Timeout=600 wrk redis-server >/dev/null; }
	.ci/with-database $(PY) -m bench.run $(BENCH_ARGS)
	.ci/with-database $(PY) bench/search.py $(SEARCH_BENCH_ARGS)

# Only the cached article page, steady and with a lagging invalidation every second (bench/lag.py), at the
# first data size: a few minutes less than `make bench`; writes its part of docs/benchmarks.md and its plot.
bench-lag: install
	@command -v wrk >/dev/null && command -v redis-server >/dev/null || { \
		echo "Installing system packages: wrk redis-server"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			-o DPkg::Lock::Timeout=600 wrk redis-server >/dev/null; }
	.ci/with-database $(PY) -m bench.run --only lag $(BENCH_ARGS)

# Readers and commenters for 60 s (SOAK_ARGS="--duration 600" for the run in docs/soak.md) against gunicorn with
# its own PostgreSQL and Redis, killing a worker every 60 s and restarting PostgreSQL every 150 s (each first at half
# its period); fails when an accepted comment is missing or stored twice. Installs Redis if missing.
soak: install
	@command -v redis-server >/dev/null || { \
		echo "Installing system packages: redis-server"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			-o DPkg::Lock::Timeout=600 redis-server >/dev/null; }
	$(PY) -m bench.soak $(SOAK_ARGS)

# External audits of the demo site under gunicorn (production settings, a throwaway SQLite database): axe-core,
# Nu Html Checker, Lighthouse (AUDIT_ARGS="--no-lighthouse" skips it), the MDN HTTP Observatory over TLS,
# feeds and JSON-LD. Tools pinned in .ci/audit/package-lock.json; installs Node and Java if missing.
audit: install
	@command -v npm >/dev/null && command -v java >/dev/null && command -v openssl >/dev/null || { \
		echo "Installing system packages: nodejs npm default-jre-headless openssl"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
			-o DPkg::Lock::Timeout=600 nodejs npm default-jre-headless openssl >/dev/null; }
	@test .ci/audit/node_modules/.package-lock.json -nt .ci/audit/package-lock.json || \
		npm ci --prefix .ci/audit --ignore-scripts --no-audit --no-fund
	$(PY) .ci/audit.py $(AUDIT_ARGS)

# Database and media into var/backups/<UTC time>/ (BACKUP_ARGS="--output DIR"); restore needs BACKUP=DIR and
# an empty database (RESTORE_ARGS="--force" replaces a full one, "--dry-run" only checks). As with `run`, the
# local development database; production runs `manage.py backup` / `restore` with its own environment.
backup: install var
	$(DEV) $(PY) manage.py backup $(BACKUP_ARGS)

restore: install
	@test -n "$(BACKUP)" || { echo "Usage: make restore BACKUP=var/backups/<time> [RESTORE_ARGS=--force]" >&2; exit 2; }
	$(DEV) $(PY) manage.py restore "$(BACKUP)" $(RESTORE_ARGS)

collectstatic: install
	DJANGO_SECRET_KEY=collectstatic $(PY) manage.py collectstatic --noinput

clean:
	rm -rf $(VENV) var
