"""Compiler flags for first-party code, kept in one place (as Abseil does)."""

SVCENV_COPTS = [
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wno-sign-compare",
]

SVCENV_TEST_COPTS = SVCENV_COPTS
