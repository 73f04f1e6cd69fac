#!/usr/bin/env bash
# The portable svcenv (cmake/SvcenvPortable.cmake) must need nothing at run
# time but glibc and the loader, and must work: checks `ldd`, then runs it on
# the bundled example.
#   cmake/portable_cli_test.sh build/svcenv-portable
set -euo pipefail
bin=${1:?usage: portable_cli_test.sh PATH_TO_SVCENV_PORTABLE}
cd "$(dirname "${BASH_SOURCE[0]}")/.."

deps=$(ldd "$bin")
echo "$deps"
# linux-vdso, the loader, and glibc's own libraries: nothing else.
allowed='^(linux-vdso\.so\.1|/lib64/ld-linux-x86-64\.so\.2|ld-linux[^ ]*|lib(c|m|pthread|dl|rt)\.so\.[0-9]+)$'
bad=0
while read -r name _; do
  [[ -z $name ]] && continue
  if [[ ! $name =~ $allowed ]]; then
    echo "FAIL: $bin needs $name at run time" >&2
    bad=1
  fi
done <<<"$deps"
((bad == 0)) || exit 1

"$bin" --version | grep -qE '^svcenv [0-9]+\.[0-9]+\.[0-9]+$' \
  || { echo "FAIL: --version" >&2; exit 1; }
# The same output as the golden case tools/golden_test checks.
diff -u testdata/env/guestbook/default.out \
  <("$bin" env -f testdata/examples/guestbook) \
  || { echo "FAIL: env -f testdata/examples/guestbook differs" >&2; exit 1; }
echo "PASS: $bin depends only on glibc and runs"
