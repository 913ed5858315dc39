"""Configuration: discovery, presets, extends chains, validation and its messages."""

from __future__ import annotations

import io
import os
import types
from pathlib import Path

import pytest

from bpmn_cx.cli import main
from bpmn_cx.linter.api import Option
from bpmn_cx.linter.config import (
    Config,
    ConfigError,
    ConfigResolver,
    find_config_file,
    glob_match,
    load_config,
)
from bpmn_cx.linter.registry import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
PASS_THROUGH = ROOT / "fixtures" / "lint" / "pass-through-gateways.bpmn"

DOC = """Test rule with options.

What it does
------------
x

Why it matters
--------------
x

Example
-------
x

How to fix
----------
x
"""


@pytest.fixture
def optioned():
    module = types.ModuleType("bpmn_cx_test_rules.test_optioned")
    module.__doc__ = DOC
    module.ID = "test-optioned"
    module.SEVERITY = "info"
    module.OPTIONS = {
        "max": Option(int, 3, "a limit", minimum=1),
        "ratio": Option(float, 0.5, "a share"),
        "mode": Option(str, "strict", "how", choices=("strict", "loose")),
        "flag": Option(bool, False, "a switch"),
        "names": Option(list, [], "some names"),
    }
    module.check = lambda model, ctx: iter(())
    REGISTRY.register(module)
    yield "test-optioned"
    REGISTRY.unregister("test-optioned")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def model_in(folder: Path, name: str = "model.bpmn") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    target.write_bytes(PASS_THROUGH.read_bytes())
    return target


def error_of(text: str, tmp_path: Path, name: str = ".bpmn-cx.toml") -> ConfigError:
    path = write(tmp_path / name, text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    return info.value


# -- discovery -------------------------------------------------------------------


def test_nearest_config_wins_and_plain_pyproject_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.bpmn-cx]\nextends = "all"\n')
    write(tmp_path / "team" / "pyproject.toml", '[project]\nname = "x"\n')  # no [tool.bpmn-cx]
    deep = tmp_path / "team" / "models" / "2024"
    deep.mkdir(parents=True)
    assert find_config_file(str(deep)) == str(tmp_path / "pyproject.toml")
    write(tmp_path / "team" / ".bpmn-cx.toml", "extends = []\n")
    assert find_config_file(str(deep)) == str(tmp_path / "team" / ".bpmn-cx.toml")


def test_bpmn_cx_toml_beats_pyproject_in_the_same_folder(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.bpmn-cx]\nextends = "all"\n')
    write(tmp_path / ".bpmn-cx.toml", 'extends = "bpmnlint"\n')
    assert find_config_file(str(tmp_path)) == str(tmp_path / ".bpmn-cx.toml")


def test_each_file_gets_its_own_config(tmp_path):
    write(tmp_path / ".bpmn-cx.toml", 'extends = []\n[rules]\nsuperfluous-gateway = "error"\n')
    write(tmp_path / "quiet" / ".bpmn-cx.toml", 'extends = []\n[rules]\nsuperfluous-gateway = "off"\n')
    loud = model_in(tmp_path / "loud")
    quiet = model_in(tmp_path / "quiet")
    resolver = ConfigResolver()
    assert resolver.for_file(str(loud)).rules["superfluous-gateway"].severity == "error"
    assert not resolver.for_file(str(quiet)).rules["superfluous-gateway"].enabled
    # --config overrides discovery for every file
    fixed = ConfigResolver(config_file=str(tmp_path / ".bpmn-cx.toml"))
    assert fixed.for_file(str(quiet)).rules["superfluous-gateway"].severity == "error"


def test_no_config_means_recommended(tmp_path, monkeypatch):
    target = model_in(tmp_path)
    monkeypatch.setattr("bpmn_cx.linter.config.find_config_file", lambda start: None)
    config = ConfigResolver().for_file(str(target))
    assert config.rules == Config.preset("recommended").rules


def test_cli_uses_discovered_config(tmp_path):
    write(tmp_path / "pyproject.toml",
          '[tool.bpmn-cx]\nextends = []\n[tool.bpmn-cx.rules]\nsuperfluous-gateway = "error"\n')
    target = model_in(tmp_path / "models")
    out = io.StringIO()
    assert main(["lint", str(target)], stdout=out, stderr=io.StringIO()) == 1
    assert out.getvalue().count("error    superfluous-gateway") == 2


# -- presets and extends ------------------------------------------------------------


@pytest.mark.parametrize("preset", ["recommended", "all", "bpmnlint", "customer"])
def test_presets_load(preset):
    config = Config.preset(preset)
    assert all(s.severity in ("off", "error", "warning", "info") for s in config.rules.values())


def test_extends_chain_with_relative_paths_and_overrides(tmp_path):
    write(tmp_path / "shared" / "base.toml",
          'extends = "bpmnlint"\ncustomer = ["Kunde"]\n[rules]\nlabel-required = "off"\nmax-elements = { max = 10 }\n')
    write(tmp_path / "team" / "team.toml",
          'extends = "../shared/base.toml"\n[rules]\nno-bpmndi = "warn"\n')
    path = write(tmp_path / "team" / "repo" / ".bpmn-cx.toml",
                 'extends = "../team.toml"\n[rules]\nmax-elements = { severity = "error" }\n')
    config = load_config(path)
    assert not config.rules["label-required"].enabled          # from base
    assert config.rules["no-bpmndi"].severity == "warning"      # from team
    assert config.rules["superfluous-gateway"].severity == "warning"  # from the bpmnlint preset
    assert config.rules["max-elements"].severity == "error"
    assert dict(config.rules["max-elements"].options) == {"max": 10}  # options survive a severity change
    assert config.customer == ["Kunde"]
    assert "schema-invalid" not in config.rules  # bpmnlint does not have it


def test_options_table_without_severity_keeps_the_inherited_one(tmp_path, optioned):
    write(tmp_path / "base.toml", 'extends = []\n[rules]\ntest-optioned = "error"\n')
    config = load_config(write(tmp_path / ".bpmn-cx.toml",
                               'extends = "base.toml"\n[rules]\ntest-optioned = { max = 9 }\n'))
    assert config.rules["test-optioned"].severity == "error"
    # ... and turns an unconfigured rule on at its default severity
    config = load_config(write(tmp_path / "c2.toml", 'extends = []\n[rules]\ntest-optioned = { max = 9 }\n'))
    assert config.rules["test-optioned"].severity == "info"
    assert config.active_rules()["test-optioned"].options == {
        "max": 9, "ratio": 0.5, "mode": "strict", "flag": False, "names": []}


def test_extends_list_applies_in_order(tmp_path):
    config = load_config(write(tmp_path / ".bpmn-cx.toml", 'extends = ["all", "bpmnlint"]\n'))
    assert config.rules["superfluous-gateway"].severity == "warning"  # bpmnlint after all
    assert config.rules["schema-invalid"].severity == "error"          # only in all


def test_extends_cycle_is_an_error(tmp_path):
    write(tmp_path / "a.toml", 'extends = "b.toml"\n')
    write(tmp_path / "b.toml", 'extends = "c.toml"\n')
    write(tmp_path / "c.toml", 'extends = "a.toml"\n')
    with pytest.raises(ConfigError, match="cycle") as info:
        load_config(tmp_path / "a.toml")
    assert "a.toml" in str(info.value) and "b.toml" in str(info.value)
    write(tmp_path / "self.toml", 'extends = "./self.toml"\n')
    with pytest.raises(ConfigError, match="cycle"):
        load_config(tmp_path / "self.toml")


def test_unknown_preset_and_missing_extends_file(tmp_path):
    err = error_of('extends = "recomended"\n', tmp_path)
    assert "unknown preset 'recomended'" in str(err) and err.key == "extends"
    err = error_of('extends = "./nope.toml"\n', tmp_path, "x.toml")
    assert "no such file" in str(err)


def test_preset_override_replaces_extends_but_keeps_the_rest(tmp_path):
    path = write(tmp_path / ".bpmn-cx.toml",
                 'extends = "all"\ncustomer = ["C"]\n[rules]\nsuperfluous-gateway = "off"\n')
    config = ConfigResolver(config_file=str(path), preset="bpmnlint").for_file(None)
    assert not config.rules["superfluous-gateway"].enabled
    assert config.rules["label-required"].severity == "error"
    assert "schema-invalid" not in config.rules
    assert config.customer == ["C"]


# -- validation ---------------------------------------------------------------------


def test_unknown_top_level_key_names_file_and_key(tmp_path):
    err = error_of('extend = "all"\n', tmp_path)
    assert err.file == str(tmp_path / ".bpmn-cx.toml") and err.key == "extend"
    assert "did you mean 'extends'" in str(err)


def test_pyproject_keys_are_named_with_their_table(tmp_path):
    err = error_of('[tool.bpmn-cx]\ncolour = true\n', tmp_path, "pyproject.toml")
    assert err.key == "tool.bpmn-cx.colour"
    err = error_of('[tool.bpmn-cx.rules]\nno-such-rule = "warn"\n', tmp_path, "pyproject.toml")
    assert err.key == "tool.bpmn-cx.rules.no-such-rule" and "unknown rule id" in str(err)


def test_unknown_rule_id_suggests_the_closest(tmp_path):
    err = error_of('[rules]\nsuperfluous-gatway = "warn"\n', tmp_path)
    assert "did you mean 'superfluous-gateway'" in str(err)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('"loud"', 'must be "off", "info", "warn" or "error"'),
        ("2", 'or a table with severity and options, not an integer'),
        ('{ severity = "fatal" }', 'must be "off", "info", "warn" or "error"'),
        ("{ max = \"3\" }", "must be an integer, not a string"),
        ("{ max = true }", "must be an integer, not a boolean"),
        ("{ max = 0 }", "must be at least 1"),
        ("{ max = 2.5 }", "must be an integer, not a number"),
        ('{ mode = "lax" }', "must be one of"),
        ("{ flag = 1 }", "must be a boolean"),
        ("{ ratio = \"x\" }", "must be a number"),
        ("{ colour = 1 }", "has no option 'colour'"),
    ],
)
def test_rule_values_and_options_are_checked(tmp_path, optioned, value, message):
    err = error_of(f"[rules]\ntest-optioned = {value}\n", tmp_path)
    assert message in str(err)
    assert err.key.startswith("rules.test-optioned")


def test_int_is_accepted_for_a_float_option(tmp_path, optioned):
    config = load_config(write(tmp_path / ".bpmn-cx.toml", "[rules]\ntest-optioned = { ratio = 1 }\n"))
    assert config.rules["test-optioned"].options["ratio"] == 1.0


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        ('customer = "Customer"\n', "customer", "must be a list of strings"),
        ('customer-names = "Kunde"\n', "customer-names", "must be a list of strings"),
        ("customer = [1]\n", "customer", "must be a list of strings"),
        ('extends = 3\n', "extends", "must be a list of strings"),
        ('rules = "all"\n', "rules", "must be a table"),
        ('[per-file-ignores]\n"a/*.bpmn" = "label-required"\n', 'per-file-ignores."a/*.bpmn"', "list of strings"),
        ('[per-file-ignores]\n"a/*.bpmn" = ["nope"]\n', 'per-file-ignores."a/*.bpmn"[0]', "unknown rule id"),
        ('[[suppress]]\nrule = "label-required"\n', "suppress[0]", "missing 'element'"),
        ('[[suppress]]\nrule = "label-required"\nelement = "T"\nwhy = "x"\n', "suppress[0].why", "unknown key"),
        ('[[suppress]]\nrule = "nope"\nelement = "T"\n', "suppress[0].rule", "unknown rule id"),
        ('suppress = { rule = "x" }\n', "suppress", "array of tables"),
    ],
)
def test_structure_is_checked(tmp_path, text, key, message):
    err = error_of(text, tmp_path)
    assert err.key == key and message in str(err)


def test_invalid_toml_names_the_file(tmp_path):
    err = error_of("[rules\nx = 1\n", tmp_path)
    assert err.file == str(tmp_path / ".bpmn-cx.toml") and "invalid TOML" in str(err)


def test_config_errors_exit_2_with_file_and_key(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.bpmn-cx.rules]\nmax-elements = { max = "30" }\n')
    target = model_in(tmp_path)
    err = io.StringIO()
    assert main(["lint", str(target)], stdout=io.StringIO(), stderr=err) == 2
    message = err.getvalue()
    assert str(tmp_path / "pyproject.toml") in message
    assert "tool.bpmn-cx.rules.max-elements.max" in message and "must be an integer" in message
    assert "Traceback" not in message


def test_missing_config_file_is_exit_2(tmp_path):
    target = model_in(tmp_path)
    err = io.StringIO()
    assert main(["lint", "--config", str(tmp_path / "nope.toml"), str(target)],
                stdout=io.StringIO(), stderr=err) == 2
    assert "nope.toml: no such file" in err.getvalue()


def test_pyproject_without_table_given_explicitly(tmp_path):
    path = write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    with pytest.raises(ConfigError, match=r"no \[tool.bpmn-cx\] table"):
        load_config(path)


def test_config_from_dict_and_overrides_validate_ids():
    config = Config.from_dict({"extends": "bpmnlint"})
    with pytest.raises(ConfigError, match="unknown rule id 'nope'"):
        config.with_overrides(select=["nope"])
    with pytest.raises(ConfigError, match="--ignore"):
        config.with_overrides(ignore=["superfluous-gatewa"])


def test_select_ignore_and_always_on_rules():
    config = Config.from_dict({"extends": "bpmnlint"}).with_overrides(
        select=["superfluous-gateway", "schema-invalid"], ignore=["schema-invalid"])
    assert set(config.active_rules()) == {"superfluous-gateway", "parse-error", "rule-error"}
    off = Config.from_dict({"extends": [], "rules": {"parse-error": "off"}}).with_overrides(select=["global"])
    assert set(off.active_rules()) == {"global", "rule-error"}


# -- globs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("legacy/*.bpmn", "legacy/a.bpmn", True),
        ("legacy/*.bpmn", "legacy/sub/a.bpmn", False),
        ("legacy/**/*.bpmn", "legacy/sub/deeper/a.bpmn", True),
        ("legacy/**/*.bpmn", "legacy/a.bpmn", True),
        ("*.bpmn2", "deep/in/here/x.bpmn2", True),
        ("legacy", "legacy/sub/a.bpmn", True),
        ("legacy/", "legacy/a.bpmn", True),
        ("legacy/*.bpmn", "other/legacy/a.bpmn", False),
        ("**/legacy/*.bpmn", "other/legacy/a.bpmn", True),
        ("order-?.bpmn", "order-1.bpmn", True),
        ("order-[!0-9].bpmn", "order-1.bpmn", False),
        ("./models/*.bpmn", "models/a.bpmn", True),
    ],
)
def test_glob_match(tmp_path, pattern, path, matches):
    assert glob_match(pattern, str(tmp_path / path), str(tmp_path)) is matches


def test_globs_are_relative_to_the_config_file(tmp_path, monkeypatch):
    write(tmp_path / "repo" / ".bpmn-cx.toml",
          'extends = []\n[rules]\nsuperfluous-gateway = "warn"\n'
          '[per-file-ignores]\n"legacy/*.bpmn" = ["*"]\n')
    legacy = model_in(tmp_path / "repo" / "legacy")
    current = model_in(tmp_path / "repo" / "current")
    monkeypatch.chdir(tmp_path)  # the working directory does not matter
    out = io.StringIO()
    code = main(["lint", "--format", "json", os.path.relpath(legacy), os.path.relpath(current)],
                stdout=out, stderr=io.StringIO())
    assert code == 0
    assert '"file": "repo/current/model.bpmn"' in out.getvalue()
    assert "repo/legacy" not in out.getvalue()
