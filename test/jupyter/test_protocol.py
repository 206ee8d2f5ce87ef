"""What jupyter_kernel_test does not cover, through jupyter_client as every front end uses it:
a message signed with the wrong key is never executed and the kernel keeps running; interrupt
(the control channel, and SIGINT) stops a loop and keeps every variable; restart from the
client; stop_on_error aborts the cells queued behind a failure; live display updates; charts
carrying the standard vega-lite MIME type; input() over stdin; %npm install; a clean shutdown.
"""
import os
import signal
import tempfile
import time
import unittest
from queue import Empty

from jupyter_client.manager import KernelManager
from jupyter_client.session import Session

TIMEOUT = 60


class KernelProcess:
    """A kernel started from the installed kernelspec, its stderr kept for the assertions."""

    def __init__(self, cwd=None):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.km = KernelManager(kernel_name="lstm-notebook")
        self.km.start_kernel(stderr=self.log, cwd=cwd)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=TIMEOUT)

    def run(self, code, timeout=TIMEOUT, **kwargs):
        """Executes code; returns (reply content, [iopub messages of this request])."""
        seen = []
        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=seen.append, **kwargs)
        return reply["content"], seen

    def value(self, code):
        content, seen = self.run(code)
        assert content["status"] == "ok", content
        results = [m["content"]["data"]["text/plain"] for m in seen if m["msg_type"] == "execute_result"]
        assert len(results) == 1, seen
        return results[0]

    def stderr(self):
        self.log.flush()
        with open(self.log.name) as f:
            return f.read()

    def close(self):
        self.kc.stop_channels()
        if self.km.is_alive():
            self.km.shutdown_kernel(now=True)
        self.log.close()
        os.unlink(self.log.name)


class ProtocolTests(unittest.TestCase):
    def setUp(self):
        self.kernel = KernelProcess()

    def tearDown(self):
        self.kernel.close()

    def test_wrong_key_executes_nothing_and_the_kernel_keeps_running(self):
        k = self.kernel
        marker = os.path.join(tempfile.mkdtemp(), "executed")
        k.run("let touched = 'no';")
        forged = k.km.client()
        # A session of its own (its own socket identity) whose key is not the connection's.
        forged.session = Session(key=b"not-the-key")
        forged.start_channels()
        try:
            forged.execute(f"touched = 'yes'; require('node:fs').writeFileSync({marker!r}, 'x')")
            with self.assertRaises(Empty):
                forged.get_shell_msg(timeout=3)
        finally:
            forged.stop_channels()
        self.assertFalse(os.path.exists(marker), "a forged message was executed")
        self.assertEqual(k.value("touched"), "'no'")
        self.assertIn("the signature does not match the connection key", k.stderr())

    def test_a_replayed_message_is_dropped(self):
        k = self.kernel
        k.run("let runs = 0;")
        msg = k.kc.session.msg("execute_request", {"code": "runs++;", "silent": False, "store_history": True,
                                                  "user_expressions": {}, "allow_stdin": False,
                                                  "stop_on_error": True})
        k.kc.shell_channel.send(msg)
        k.kc.get_shell_msg(timeout=TIMEOUT)
        # The same signed frames again: ipykernel's replay check, ours too.
        k.kc.shell_channel.send(msg)
        with self.assertRaises(Empty):
            k.kc.get_shell_msg(timeout=2)
        self.assertEqual(k.value("runs"), "1")
        self.assertIn("replayed", k.stderr())

    def interrupt_keeps_variables(self, interrupt):
        k = self.kernel
        k.run("const kept = 'still here'; let spins = 0;")
        msg_id = k.kc.execute("while (true) { spins++; }")
        # The loop is running once its execute_input is out.
        while True:
            m = k.kc.get_iopub_msg(timeout=TIMEOUT)
            if m["parent_header"].get("msg_id") == msg_id and m["msg_type"] == "execute_input":
                break
        time.sleep(0.5)
        started = time.monotonic()
        interrupt()
        reply = k.kc.get_shell_msg(timeout=TIMEOUT)
        took = time.monotonic() - started
        print(f"\n  interrupt answered in {took * 1000:.0f} ms", flush=True)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["status"], "error")
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertEqual(k.value("kept"), "'still here'")
        self.assertGreater(int(k.value("spins")), 0)

    def test_interrupt_request_on_the_control_channel(self):
        # interrupt_mode "message": jupyter_client sends interrupt_request on control.
        self.assertEqual(self.kernel.km.kernel_spec.interrupt_mode, "message")
        self.interrupt_keeps_variables(self.kernel.km.interrupt_kernel)

    def test_sigint_interrupts_the_cell(self):
        self.interrupt_keeps_variables(lambda: self.kernel.km.signal_kernel(signal.SIGINT))

    def test_interrupt_stops_training(self):
        k = self.kernel
        k.run(
            "import { seed, LSTM, Linear, Adam, train, tasks } from 'lstm-notebook';\n"
            "seed(1);\n"
            "const data = tasks.adding({ length: 20, count: 256 });\n"
            "const model = new LSTM({ inputSize: 2, hiddenSize: 16 });\n"
            "const head = new Linear(16, 1);"
        )
        msg_id = k.kc.execute("await train([model, head], data, { epochs: 100000, optimizer: new Adam(1e-3) });")
        time.sleep(3)
        started = time.monotonic()
        k.km.interrupt_kernel()
        reply = k.kc.get_shell_msg(timeout=TIMEOUT)
        print(f"\n  training interrupted in {(time.monotonic() - started) * 1000:.0f} ms", flush=True)
        self.assertEqual(reply["parent_header"]["msg_id"], msg_id)
        self.assertEqual(reply["content"]["ename"], "Interrupted")
        self.assertEqual(k.value("model.hiddenSize"), "16")

    def test_restart_from_the_client(self):
        k = self.kernel
        k.run("const beforeRestart = 1;")
        self.assertEqual(k.value("typeof beforeRestart"), "'number'")
        k.km.restart_kernel(now=False)
        k.kc.wait_for_ready(timeout=TIMEOUT)
        content, _ = k.run("typeof beforeRestart")
        self.assertEqual(content["execution_count"], 1)
        self.assertEqual(k.value("typeof beforeRestart"), "'undefined'")

    def test_stop_on_error_aborts_what_is_queued(self):
        k = self.kernel
        failing = k.kc.execute("throw new Error('first')")
        queued = k.kc.execute("globalThis.ranAfterError = true")
        replies = {}
        while len(replies) < 2:
            r = k.kc.get_shell_msg(timeout=TIMEOUT)
            replies[r["parent_header"]["msg_id"]] = r["content"]
        self.assertEqual(replies[failing]["status"], "error")
        self.assertEqual(replies[queued]["status"], "aborted")
        self.assertEqual(k.value("typeof ranAfterError"), "'undefined'")

    def test_display_updates_in_place(self):
        k = self.kernel
        _, seen = k.run("const h = display('first'); h.update('second');")
        shown = [m for m in seen if m["msg_type"] in ("display_data", "update_display_data")]
        self.assertEqual([m["msg_type"] for m in shown], ["display_data", "update_display_data"])
        ids = {m["content"]["transient"]["display_id"] for m in shown}
        self.assertEqual(len(ids), 1)
        self.assertEqual(shown[-1]["content"]["data"]["text/plain"], "'second'")

    def test_live_training_charts_update_in_place_with_vega_lite(self):
        _, seen = self.kernel.run(
            "import { seed, LSTM, Linear, Adam, train, tasks } from 'lstm-notebook';\n"
            "seed(2);\n"
            "const data = tasks.adding({ length: 10, count: 512 });\n"
            "await train([new LSTM({ inputSize: 2, hiddenSize: 8 }), new Linear(8, 1)], data,\n"
            "  { epochs: 20, batchSize: 16, optimizer: new Adam(1e-2), plot: true });"
        )
        shown = [m for m in seen if m["msg_type"] == "display_data"]
        updates = [m for m in seen if m["msg_type"] == "update_display_data"]
        self.assertEqual(len(shown), 1, [m["msg_type"] for m in seen])
        self.assertGreaterEqual(len(updates), 2)
        display_id = shown[0]["content"]["transient"]["display_id"]
        for update in updates:
            self.assertEqual(update["content"]["transient"]["display_id"], display_id)
            # A Jupyter front end draws the live curve from the standard type.
            self.assertIn("application/vnd.vegalite.v5+json", update["content"]["data"].keys())
        # The last update carries the SVG too, so the saved notebook has it.
        self.assertIn("image/svg+xml", updates[-1]["content"]["data"].keys())

    def test_a_model_shows_as_an_html_table_with_a_text_twin(self):
        _, seen = self.kernel.run(
            "import { LSTM } from 'lstm-notebook';\nnew LSTM({ inputSize: 2, hiddenSize: 3 })"
        )
        data = [m for m in seen if m["msg_type"] == "execute_result"][0]["content"]["data"]
        self.assertIn("<table", data["text/html"])
        # PyTorch's count for nn.LSTM(2, 3): 4·3·(2 + 3) weights + 2·4·3 biases = 84.
        self.assertIn("84", data["text/plain"])

    def test_whos_lists_the_variables_as_a_table_and_is_completed(self):
        content, seen = self.kernel.run(
            "import { Tensor } from 'lstm-notebook';\nconst h = Tensor.zeros([2, 3]);\nconst steps = 12;\n%whos number Tensor"
        )
        self.assertEqual(content["status"], "ok", content)
        data = [m for m in seen if m["msg_type"] == "display_data"][0]["content"]["data"]
        rows = [line.split() for line in data["text/plain"].split("\n")]
        self.assertEqual(rows[0], ["Variable", "Type", "Size", "Value"])
        self.assertEqual([r[:2] for r in rows[1:]], [["h", "Tensor"], ["steps", "number"]])
        self.assertEqual(rows[1][2:4], ["[2,", "3]"])
        self.assertIn("<caption>2 variables</caption>", data["text/html"])
        # Jupyter's is_complete calls the magic line complete (it is not TypeScript).
        request = self.kernel.kc.is_complete("%whos")
        reply = self.kernel.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], request)
        self.assertEqual(reply["content"]["status"], "complete")
        # complete_request at a line's start offers the magics, replacing what is typed.
        request = self.kernel.kc.complete("const a = 1;\n%wh", 16)
        reply = self.kernel.kc.get_shell_msg(timeout=TIMEOUT)
        self.assertEqual(reply["parent_header"]["msg_id"], request)
        self.assertEqual(reply["content"]["matches"], ["%whos"])
        self.assertEqual((reply["content"]["cursor_start"], reply["content"]["cursor_end"]), (13, 16))

    def test_a_chart_carries_vega_lite_svg_and_text(self):
        _, seen = self.kernel.run(
            "import { plot } from 'lstm-notebook';\nplot.series([{ name: 'line', x: [0, 1, 2], y: [1, 4, 9] }])"
        )
        result = [m for m in seen if m["msg_type"] == "execute_result"][0]["content"]["data"]
        for mime in ("application/vnd.lstm-notebook.loss+json", "application/vnd.vegalite.v5+json",
                     "image/svg+xml", "text/plain"):
            self.assertIn(mime, result.keys())
        self.assertIn("mark", str(result["application/vnd.vegalite.v5+json"]))

    def test_errors_point_into_the_cell(self):
        content, seen = self.kernel.run("function fails() {\n  throw new TypeError('bad');\n}\nfails();")
        self.assertEqual(content["status"], "error")
        self.assertEqual(content["ename"], "TypeError")
        error = [m for m in seen if m["msg_type"] == "error"][0]["content"]
        self.assertEqual(error["traceback"], content["traceback"])
        self.assertIn("In[1]:2:", "\n".join(error["traceback"]))

    def test_input_asks_the_client_on_stdin(self):
        k = self.kernel
        asked = []

        def answer(msg):
            asked.append(msg["content"])
            k.kc.input("Ada")

        content, seen = k.run(
            "import { input } from 'lstm-notebook';\nconsole.log('asking');\n`hello ${await input('Your name?')}`",
            allow_stdin=True,
            stdin_hook=answer,
        )
        self.assertEqual(content["status"], "ok", content)
        self.assertEqual(asked, [{"prompt": "Your name?", "password": False}])
        results = [m["content"]["data"]["text/plain"] for m in seen if m["msg_type"] == "execute_result"]
        self.assertEqual(results, ["'hello Ada'"])

    def test_input_from_a_client_without_stdin_is_a_clear_error(self):
        content, _ = self.kernel.run("import { input } from 'lstm-notebook';\nawait input('?')", allow_stdin=False)
        self.assertEqual(content["status"], "error")
        self.assertIn("allow_stdin: false", content["evalue"])

    def test_debug_request_is_answered_not_supported(self):
        k = self.kernel
        msg = k.kc.session.msg("debug_request", {"type": "request", "seq": 1, "command": "initialize",
                                                "arguments": {}})
        k.kc.control_channel.send(msg)
        reply = k.kc.get_control_msg(timeout=TIMEOUT)
        self.assertEqual(reply["header"]["msg_type"], "debug_reply")
        self.assertFalse(reply["content"]["success"])
        self.assertEqual(k.kc.kernel_info(reply=True, timeout=TIMEOUT)["content"]["debugger"], False)

    def test_npm_install_then_import(self):
        # The kernel's folder is the notebook's (the client starts it there): a package made here.
        root = tempfile.mkdtemp()
        os.mkdir(os.path.join(root, "tiny"))
        with open(os.path.join(root, "tiny", "package.json"), "w") as f:
            f.write('{"name": "tiny", "version": "1.0.0", "main": "index.js"}')
        with open(os.path.join(root, "tiny", "index.js"), "w") as f:
            f.write("exports.double = (x) => 2 * x;")
        os.mkdir(os.path.join(root, "notebook"))
        self.kernel.close()
        self.kernel = k = KernelProcess(cwd=os.path.join(root, "notebook"))
        content, seen = k.run("%npm install ../tiny")
        self.assertEqual(content["status"], "ok", content)
        streamed = "".join(m["content"]["text"] for m in seen if m["msg_type"] == "stream")
        self.assertIn("added 1 package", streamed)
        self.assertTrue(os.path.exists(os.path.join(root, "notebook", "package.json")))
        self.assertEqual(k.value("import { double } from 'tiny';\ndouble(4)"), "8")
        content, _ = k.run("%pip install numpy")
        self.assertEqual(content["ename"], "SyntaxError")
        self.assertIn("Unknown magic %pip", content["evalue"])

    def test_shutdown_ends_the_process_by_itself(self):
        k = self.kernel
        process = k.km.provisioner.process
        k.km.shutdown_kernel(now=False)
        self.assertFalse(k.km.is_alive())
        # Exited on its own (0), not killed by the manager after a timeout (a negative signal number).
        self.assertEqual(process.returncode, 0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
