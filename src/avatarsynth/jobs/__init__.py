"""Jobs: the request model and its validation, the store and state machine, workers, retention,
and the service the API serves with whoever runs jobs behind it (a ``Scheduler``)."""

from avatarsynth.jobs._census import queue_census
from avatarsynth.jobs._claims import JobClaims
from avatarsynth.jobs._fields import parse_json
from avatarsynth.jobs._lifecycle import FINISHED, Status, transition
from avatarsynth.jobs._locks import LockRows
from avatarsynth.jobs._models import Job
from avatarsynth.jobs._results import InputOutcome, JobResults, Totals
from avatarsynth.jobs._retention import Periodic, Sweeper, sweep
from avatarsynth.jobs._runner import JobRunner, LostJob, Released, clear_work_dir
from avatarsynth.jobs._service import JobService, Scheduler
from avatarsynth.jobs._side_files import boundary_json
from avatarsynth.jobs._spec import AudioConfig, AvatarConfig, Flavor, JobSpec, SynthesisConfig
from avatarsynth.jobs._store import JobRecords, JobStore, NewJob, open_database, owner_of
from avatarsynth.jobs._tables import utcnow
from avatarsynth.jobs._validation import audio_spec, current_spec, legacy_spec
from avatarsynth.jobs._work import Check, check_inputs, fetch_policy

__all__ = [
    "FINISHED",
    "AudioConfig",
    "AvatarConfig",
    "Check",
    "Flavor",
    "InputOutcome",
    "Job",
    "JobClaims",
    "JobRecords",
    "JobResults",
    "JobRunner",
    "JobService",
    "JobSpec",
    "JobStore",
    "LockRows",
    "LostJob",
    "NewJob",
    "Periodic",
    "Released",
    "Scheduler",
    "Status",
    "Sweeper",
    "SynthesisConfig",
    "Totals",
    "audio_spec",
    "boundary_json",
    "check_inputs",
    "clear_work_dir",
    "current_spec",
    "fetch_policy",
    "legacy_spec",
    "open_database",
    "owner_of",
    "parse_json",
    "queue_census",
    "sweep",
    "transition",
    "utcnow",
]
