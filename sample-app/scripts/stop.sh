#!/usr/bin/env bash
# ApplicationStop (run from the revision installed before): stops the web server gracefully (SIGTERM,
# it finishes the requests in progress) and waits up to 10 s for it to exit. It never fails: a stop
# script that fails would fail every later deployment (codedeploy/kit/README.md, "ApplicationStop").
run="${BATON_INSTANCE_ROOT:-}/var/run/web"
pid="$(cat "$run/pid" 2>/dev/null || true)"
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
  echo "web is not running"
  exit 0
fi
kill -TERM "$pid" 2>/dev/null || true
for _ in $(seq 1 100); do
  kill -0 "$pid" 2>/dev/null || { rm -f "$run/pid"; echo "web stopped"; exit 0; }
  sleep 0.1
done
echo "warning: web (pid $pid) did not stop within 10 s"
exit 0
