"""svcenv_fuzzer: one libFuzzer target and the test that replays its corpus."""

load("//:copts.bzl", "SVCENV_TEST_COPTS")

def svcenv_fuzzer(name, srcs, deps, corpus):
    """Declares `name` (a fuzzer) and `name + "_replay"` (a cc_test).

    Under `--config=fuzz` (clang, -fsanitize=fuzzer) `name` links libFuzzer's
    main; otherwise it links replay_main.cc, which runs every file named on
    its command line once, so the target also builds with gcc. The test
    replays the committed corpus `//testdata/fuzz:<corpus>` (seeds plus a
    regression input for every finding) in every `bazel test //...`, also
    under the sanitizer configurations.

    Args:
      name: the fuzzer's name, e.g. "json_decoder_fuzzer".
      srcs: the source defining LLVMFuzzerTestOneInput.
      deps: the libraries it exercises.
      corpus: directory under testdata/fuzz/ with its corpus.
    """
    native.cc_binary(
        name = name,
        srcs = srcs,
        copts = SVCENV_TEST_COPTS,
        tags = ["fuzz"],
        deps = deps + select({
            "//fuzz:libfuzzer": [],
            "//conditions:default": ["//fuzz:replay_main"],
        }),
    )
    native.cc_test(
        name = name + "_replay",
        size = "small",
        srcs = srcs,
        args = ["testdata/fuzz/" + corpus],
        copts = SVCENV_TEST_COPTS,
        data = ["//testdata/fuzz:" + corpus],
        deps = deps + ["//fuzz:replay_main"],
    )
