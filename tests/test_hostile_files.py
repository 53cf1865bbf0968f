"""Exercise and network files a new user or a hostile one gives (issue: hostile input): a UTF-8
byte-order mark is read; arrays nested hundreds deep are one line (exit 2), not a RecursionError."""

import io

import pytest

from neurosim.cli.main import main
from neurosim.core.netfile import read_network_json
from neurosim.errors import NeurosimError


def run(argv):
    out = io.StringIO()
    return main(argv, out), out.getvalue()


def _mazur() -> str:
    out = io.StringIO()
    main(["export", "mazur"], out)
    return out.getvalue()


def test_an_exercise_file_with_a_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + _mazur().encode("utf-8"))  # as Notepad saves UTF-8
    code, out = run(["run", str(path)])
    assert code == 0 and "w5" in out


@pytest.mark.parametrize("command", [["run"], ["check"], ["explain"], ["sheet"], ["variants", "-o", "out"]])
def test_a_file_nested_500_deep_is_one_line(tmp_path, monkeypatch, capsys, command):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deep.toml").write_text("a = " + "[" * 500 + "]" * 500 + "\n")
    argv = [command[0], "deep.toml", *command[1:]]
    assert run(argv)[0] == 2
    assert capsys.readouterr().err == "neurosim: error: deep.toml: nested too deeply to read (arrays or tables " \
                                      "within each other)\n"


def test_a_network_file_nested_500_deep_is_one_line(tmp_path):
    path = tmp_path / "net.json"
    path.write_text("[" * 5000 + "]" * 5000)
    with pytest.raises(NeurosimError, match="nested too deeply"):
        read_network_json(path)
