#!/usr/bin/python3
"""Jupyter's kernel conformance suite (Debian's python3-jupyter-kernel-test) on the project's kernel.

    JUPYTER_PATH=build/jupyter /usr/bin/python3 test/kernel/conformance.py

Run by test/kernel/conformance.test.ts. Every test of jupyter_kernel_test.KernelTests runs with the
TypeScript samples below; the only ones skipped are those whose feature the protocol marks optional
and this kernel does not offer (see SKIPPED, printed at the end).
"""
import os
import sys
import unittest

import jupyter_kernel_test

# Optional features of the protocol this kernel does not have; the suite skips their tests.
SKIPPED = {
    "test_pager": "execute_reply payloads (here the 'page' payload of IPython's `obj?`) are deprecated by the "
                  "messaging spec, and TypeScript has no help syntax to page: code_page_something is empty",
}


class CnnNotebooksKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "cnn-notebooks"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world");'
    code_stderr = 'console.error("to stderr");'

    completion_samples = [
        {"text": "Math.ma", "matches": {"max"}},
        {"text": "const aLongName = 1;\naLongN", "matches": {"aLongName"}},
        # tslab also offers names that match without regard to case (OnesLike is tfjs's kernel name)
        {"text": 'import { tf } from "cnnlib";\ntf.onesL', "matches": {"onesLike", "OnesLike"}},
    ]

    complete_code_samples = ["1 + 2", "const x = 1;", "function f() {\n  return 1;\n}", "await Promise.resolve(1);"]
    incomplete_code_samples = ["function f() {", "const a = [1, 2,", "if (true) {\n  console.log(1);"]
    invalid_code_samples = ["const = ;", "1 +* 2;", "let 3x = 1;"]

    code_page_something = ""  # see SKIPPED

    code_generate_error = 'throw new Error("boom");'

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "ab"},
    ]

    code_display_data = [
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>bold</b>");', "mime": "text/html"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.markdown("*text*");', "mime": "text/markdown"},
    ]

    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = 'require("tslab").display.clear();'


if __name__ == "__main__":
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    result = unittest.main(argv=[sys.argv[0], "-v"], exit=False).result
    skipped = {name.split()[0].split(".")[-1] if "." in name.split()[0] else name.split()[0]: why
               for name, why in ((str(t), w) for t, w in result.skipped)}
    unexpected = sorted(set(skipped) - set(SKIPPED))
    print(f"conformance: {result.testsRun} run, {len(result.failures)} failed, {len(result.errors)} errors, "
          f"{len(result.skipped)} skipped ({', '.join(sorted(skipped)) or 'none'})")
    if unexpected:
        print(f"conformance: skipped but not listed as optional: {', '.join(unexpected)}")
    sys.exit(0 if result.wasSuccessful() and not unexpected else 1)
