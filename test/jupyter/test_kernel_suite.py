"""The Jupyter project's own kernel test suite (jupyter_kernel_test) against our kernelspec.

Run by test/jupyter/run.mjs, which installs the kernelspec into a temporary prefix and points
JUPYTER_PATH at it. Every sample below is what a TypeScript user would type; the expected values
are what Node's own REPL prints for the same expression (util.inspect), not our kernel's output.
"""
import unittest

import jupyter_kernel_test


class LstmNotebookKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "lstm-notebook"
    language_name = "typescript"
    file_extension = ".ts"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # An earlier cell: completions must know what it declared (types across cells).
        cls.kc.execute_interactive("const quokkaOne = 1;\nlet quokkaTwo = 'two';", timeout=60)

    code_hello_world = "console.log('hello, world')"
    code_stderr = "console.error('something went wrong')"

    completion_samples = [
        # Names declared by an earlier cell, completed in the next one.
        {"text": "quokka", "matches": {"quokkaOne", "quokkaTwo"}},
        # The core's API, through its types: the methods of a string declared by that cell.
        {"text": "quokkaTwo.toUpper", "matches": {"toUpperCase"}},
        {"text": "import { LSTM } from 'lstm-notebook';\nconst m = new LSTM({ inputSize: 1, hiddenSize: 2 });\nm.loadSt",
         "matches": {"loadStateDict"}},
    ]

    complete_code_samples = [
        "1 + 1",
        "const typed: number = 1;",
        "for (const i of [1, 2]) console.log(i)",
        "interface Point { x: number }",
        "const v = await Promise.resolve(3)",
    ]
    incomplete_code_samples = [
        "function f() {",
        "const a = [1,",
        "const s = `a template\nstill open",
        "if (true) {\n  console.log(1)",
    ]
    invalid_code_samples = ["const = 1;", ")", "let 1x = 2"]

    code_generate_error = "throw new Error('boom')"

    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "'ab' + 'cd'", "result": "'abcd'"},
        {"code": "[1, 2].map((x) => x * 10)", "result": "[ 10, 20 ]"},
    ]

    code_display_data = [
        {"code": "display('shown')", "mime": "text/plain"},
        {
            "code": "import { plot } from 'lstm-notebook';\n"
            "display(plot.series([{ name: 'line', x: [0, 1, 2], y: [1, 4, 9] }]));",
            "mime": "image/svg+xml",
        },
    ]

    code_history_pattern = "1 + *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "import { LSTM } from 'lstm-notebook';\nLSTM"

    code_clear_output = "console.log('before'); clearOutput();"

    # No pager: cells have no help() or `?` that pages text, so the suite's pager test has
    # nothing to run. It is removed here, by name, rather than skipped and counted.
    test_pager = None


class FailOnSkip(unittest.TextTestResult):
    """A skipped test is a failure here: every test the suite offers must run."""

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self.failures.append((test, f"skipped, which counts as a failure here: {reason}"))


if __name__ == "__main__":
    unittest.main(testRunner=unittest.TextTestRunner(resultclass=FailOnSkip, verbosity=2))
