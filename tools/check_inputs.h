// tools/check_inputs.h
//
// DO NOT INCLUDE OUTSIDE tools/. What `svcenv check` reads: a live cluster
// through kubectl, or the manifests a repository holds, with what is not
// rendered objects (kustomizations, charts, templates, values files,
// workflows, --ignore matches) skipped on the way with one summary line.
#ifndef SVCENV_TOOLS_CHECK_INPUTS_H_
#define SVCENV_TOOLS_CHECK_INPUTS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "svcenv/check.h"
#include "svcenv/decode.h"
#include "svcenv/objects.h"
#include "tools/cli.h"
#include "tools/flags.h"

namespace svcenv::cli {

// The whole text of a file `check` reads: a manifest it looks into again,
// its configuration, a baseline report, a catalogue. NotFoundError naming
// the path when it cannot be read.
absl::Status ReadCheckFile(const std::string& path, std::string* text);

// Live mode: reads what `check` needs from the cluster through kubectl into
// `objects` (Pods, Services, ConfigMaps, Secrets) and `owners` (the
// ReplicaSets, read only to name the Deployments that own pods: their
// templates are not what runs, and old ones are kept as history). What
// kubectl may not read is left out, with a warning, and marked unknown in
// `options` so that no finding rests on its absence.
absl::Status LoadLiveForCheck(const ParsedFlags& flags,
                              const DecodeOptions& decode, Io& io,
                              Objects* objects, Objects* owners,
                              CheckOptions* options);

// Manifest mode: the files of `inputs` ("-", files, directories walked with
// `recursive`), each read on its own so that objects are numbered in apply
// order across them. `named`: how many of `inputs` came from -f (the rest
// are file arguments, such as the staged files pre-commit passes). A
// kustomization or chart named with -f is exit 2 with the command that
// renders it; one met on a walk or as a file argument is skipped, as are
// templates, files without Kubernetes objects and `ignore_globs` matches,
// with one summary line on stderr. Nothing but skipped files: exit 2
// ("no Kubernetes workloads found").
absl::Status LoadManifestsForCheck(const std::vector<std::string>& inputs,
                                   size_t named, bool recursive,
                                   const std::vector<std::string>& ignore_globs,
                                   const DecodeOptions& decode, Io& io,
                                   Objects* objects);

}  // namespace svcenv::cli

#endif  // SVCENV_TOOLS_CHECK_INPUTS_H_
