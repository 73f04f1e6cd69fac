"""Compiler flags for first-party code, kept in one place (as Abseil does)."""

SVCENV_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
]

# Tests compare gtest's unsigned sizes with literals everywhere; only there
# is -Wsign-compare relaxed (as Abseil does).
SVCENV_TEST_COPTS = SVCENV_COPTS + ["-Wno-sign-compare"]
