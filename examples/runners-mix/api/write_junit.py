"""Stands for any tool that writes a JUnit XML report: checks the API's /health and records it."""
import json
import sys
import urllib.request

with urllib.request.urlopen("http://127.0.0.1:3100/health") as answer:
    ok = answer.status == 200 and json.load(answer)["status"] == "ok"
case = '<testcase classname="api" name="health"/>' if ok else (
    '<testcase classname="api" name="health"><failure message="unhealthy"/></testcase>')
with open(sys.argv[1], "w") as report:
    report.write('<testsuite name="smoke">%s</testsuite>\n' % case)
sys.exit(0 if ok else 1)
