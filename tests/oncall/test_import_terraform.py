"""Terraform in: the PagerDuty provider's resources read from a directory of .tf files.

The fixture is shaped after the provider's documented examples (PagerDuty/
terraform-provider-pagerduty website/docs/r/schedule.html.markdown: the "Daily
Engineering Rotation" with a Night Shift layer; r/escalation_policy and r/service).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.errors import InputError
from simulator.oncall.importers import import_paths
from simulator.oncall.loader import load_oncall_text
from simulator.oncall.paging import escalation_plan
from tui.cli.main import main

USERS_TF = """
resource "pagerduty_user" "earline" {
  name  = "Earline Greenholt"
  email = "earline@example.com"
}

data "pagerduty_user" "lead" {
  email = "lead@example.com"
}
"""

SCHEDULE_TF = """
resource "pagerduty_schedule" "foo" {
  name      = "Daily Engineering Rotation"
  time_zone = "America/New_York"

  layer {
    name                         = "Night Shift"
    start                        = "2015-11-06T20:00:00-05:00"
    rotation_virtual_start       = "2015-11-06T20:00:00-05:00"
    rotation_turn_length_seconds = 86400
    users                        = [pagerduty_user.earline.id]

    restriction {
      type              = "daily_restriction"
      start_time_of_day = "08:00:00"
      duration_seconds  = 32400
    }
  }

  layer {
    name                         = "Lead on Mondays"
    start                        = "2015-11-06T20:00:00-05:00"
    rotation_virtual_start       = "2015-11-06T20:00:00-05:00"
    rotation_turn_length_seconds = 604800
    users                        = [data.pagerduty_user.lead.id]

    restriction {
      type              = "weekly_restriction"
      start_day_of_week = 1
      start_time_of_day = "08:00:00"
      duration_seconds  = 7200
    }
  }
}
"""

POLICY_TF = """
resource "pagerduty_escalation_policy" "example" {
  name      = "Engineering Escalation Policy"
  num_loops = 2

  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "schedule_reference"
      id   = pagerduty_schedule.foo.id
    }
  }

  rule {
    escalation_delay_in_minutes = 10
    target {
      type = "user_reference"
      id   = data.pagerduty_user.lead.id
    }
  }
}

resource "pagerduty_service" "example" {
  name                    = "My Web App"
  auto_resolve_timeout    = 14400
  acknowledgement_timeout = 600
  escalation_policy       = pagerduty_escalation_policy.example.id

  incident_urgency_rule {
    type    = "constant"
    urgency = "low"
  }
}
"""


def write(folder: Path, **files: str) -> Path:
    for name, text in files.items():
        (folder / f"{name}.tf").write_text(text)
    return folder


def test_resources_and_references_become_a_config(tmp_path: Path) -> None:
    """References resolve to names; layers keep Terraform's order (the last one wins).

    Monday 16 Nov 2015 09:00 New York: Earline's 08:00-17:00 layer and the lead's Monday
    08:00-10:00 layer overlap; the lead's layer is written last, so the lead is paged
    first, then (10 min later, PagerDuty's per-rule delay) the lead again by name.
    """
    folder = write(tmp_path, users=USERS_TF, schedule=SCHEDULE_TF, policy=POLICY_TF)
    imported = import_paths("terraform", [folder])
    config = load_oncall_text(imported.text, "x.yaml").config
    assert [layer.name for layer in config.schedules[0].layers] == [
        "Night Shift",
        "Lead on Mondays",
    ]
    service = config.services[0]
    assert (service.name, service.urgency, service.ack_timeout) == ("my-web-app", "low", 600)
    assert config.policies[0].repeat == 2
    plan = escalation_plan(config, "my-web-app", datetime(2015, 11, 16, 9, 0))
    assert plan.steps[0].people == ("lead",)
    tuesday = escalation_plan(config, "my-web-app", datetime(2015, 11, 17, 9, 0))
    assert tuesday.steps[0].people == ("earline-greenholt",)
    assert any("auto_resolve_timeout" in w for w in imported.warnings)


def test_unresolvable_references_are_refused_with_the_resource_and_fix(tmp_path: Path) -> None:
    """A variable in users is not evaluated: name the file, the resource and what to do."""
    broken = SCHEDULE_TF.replace("[pagerduty_user.earline.id]", "var.people")
    folder = write(tmp_path, users=USERS_TF, schedule=broken, policy=POLICY_TF)
    with pytest.raises(InputError) as err:
        import_paths("terraform", [folder])
    text = str(err.value)
    assert "schedule.tf" in text and "pagerduty_schedule.foo.layer[0].users" in text


def test_the_cli_reads_a_directory_and_rejects_bad_hcl_cleanly(tmp_path: Path) -> None:
    """`gameday oncall import terraform DIR`: exit 0; broken HCL: exit 2, no traceback."""
    good = tmp_path / "good"
    good.mkdir()
    write(good, users=USERS_TF, schedule=SCHEDULE_TF, policy=POLICY_TF)
    result = CliRunner().invoke(main, ["oncall", "import", "terraform", str(good)])
    assert result.exit_code == 0 and "kind: OnCall" in result.stdout
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "main.tf").write_text('resource "pagerduty_schedule" "x" {\n')
    result = CliRunner().invoke(main, ["oncall", "import", "terraform", str(bad)])
    assert result.exit_code == 2
    assert "main.tf" in result.stderr and "not valid HCL" in result.stderr
    assert "Traceback" not in result.stderr
