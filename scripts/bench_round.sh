#!/bin/bash
# Benchmark (not a test): the app's round, whole process, 5 times, each on a fresh copy of
# the load data. Prepare the template once:
#   createdb h_scale_load; seed it with scripts/seed_load.py (10,000 volunteers, 20,000
#   requests), `flask db stamp head`, one `flask match run --dry-run`, then
#   createdb --template h_scale_load h_scale_tpl
# Prints each run's steps (flask match run prints them) and the wall and CPU time.
set -euo pipefail
cd "$(dirname "$0")/.."
PG=${PG:-"-h 127.0.0.1 -U postgres"}
export HULPPUNT_ENV=development DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/h_scale_run
unset PYTHONDONTWRITEBYTECODE  # measure with Python's bytecode cache, as a server runs
for _ in 1 2 3 4 5; do
  # shellcheck disable=SC2086
  psql -q $PG -c "drop database if exists h_scale_run" -c "create database h_scale_run template h_scale_tpl" >/dev/null 2>&1
  /usr/bin/time -f "wall %e s, cpu %U+%S s" .venv/bin/flask --app app match run --dry-run 2>&1 \
    | grep -E "Steps|wall|matched"
done
