#!/usr/bin/env bash
# The audit step of action.yml (kept in a file so that the tests can run it).
# Reads the action's inputs from ALTAUDIT_* variables; writes the SARIF and
# Markdown reports, the annotations, the job summary and the step outputs.
set -uo pipefail

paths=()
read -r -a paths <<< "${ALTAUDIT_PATHS:-.}"
[ "${#paths[@]}" -gt 0 ] || paths=(.)
args=(--fail-on "${ALTAUDIT_FAIL_ON:-error}")
if [ -n "${ALTAUDIT_CONFIG:-}" ]; then
    args+=(--config "$ALTAUDIT_CONFIG")
fi
if [ -n "${ALTAUDIT_CHANGED_SINCE:-}" ]; then
    args+=(--changed-since "$ALTAUDIT_CHANGED_SINCE")
fi
if [ -n "${ALTAUDIT_BASELINE:-}" ]; then
    # Three runs below read the baseline: it must be there already (commit the
    # file a local `altaudit check --baseline FILE` wrote), never written here.
    if [ ! -f "$ALTAUDIT_BASELINE" ]; then
        echo "altaudit: error: baseline '$ALTAUDIT_BASELINE' not found; create it with altaudit check --baseline and commit it" >&2
        exit 2
    fi
    args+=(--baseline "$ALTAUDIT_BASELINE")
fi
sarif=${ALTAUDIT_SARIF:-altaudit.sarif}
markdown=${ALTAUDIT_MARKDOWN:-altaudit.md}

altaudit check "${args[@]}" --format sarif --output "$sarif" "${paths[@]}"
status=$?
altaudit check "${args[@]}" --format markdown --output "$markdown" "${paths[@]}" 2>/dev/null
# Annotations on the pull request's files, lines and columns.
altaudit check "${args[@]}" --format github "${paths[@]}" 2>/dev/null

if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ "${ALTAUDIT_SUMMARY:-true}" = "true" ] && [ -f "$markdown" ]; then
    cat "$markdown" >> "$GITHUB_STEP_SUMMARY"
fi
if [ -n "${GITHUB_OUTPUT:-}" ]; then
    {
        # Only reports that were written: an input error before the report
        # leaves none, and an upload step must not be handed a missing file.
        if [ -f "$sarif" ]; then echo "sarif-file=$sarif"; fi
        if [ -f "$markdown" ]; then echo "markdown-file=$markdown"; fi
        echo "exit-code=$status"
    } >> "$GITHUB_OUTPUT"
fi
exit 0
