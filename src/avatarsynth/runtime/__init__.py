"""Who runs jobs: ``build(settings)`` connects a process to the deployment; an API process then
serves jobs (``Runtime.service``: sent to Celery workers, or run here by the embedded scheduler's
runner threads and worker processes), a worker process runs Celery tasks (``run_worker``)."""

from avatarsynth.runtime._runtime import Runtime, build, run_worker

__all__ = ["Runtime", "build", "run_worker"]
