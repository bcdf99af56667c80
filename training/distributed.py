"""The process body `torchrun` starts for `livebot train KIND --nproc N`: one rank of a DDP job.

Each rank joins the process group (NCCL on GPUs, gloo on CPU), takes its own device (GPU = local rank) and
runs the kind's training function with its rank in the context; the function shards the global batch and
wraps its model in DistributedDataParallel. Only rank 0 reports progress, writes checkpoints and publishes.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from training.context import JobCancelled, WorkerContext
from training.device import place
from training.jobs import JobStore
from training.kinds import DISTRIBUTED_KINDS, runner
from training.registry import Registry
from training.worker import job_dir

if TYPE_CHECKING:
    import torch


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.distributed")
    parser.add_argument("--kind", required=True, choices=DISTRIBUTED_KINDS)
    parser.add_argument("--params", default="{}", help="the job's parameters as JSON")
    parser.add_argument("--jobs", type=Path, required=True, help="the job queue database")
    parser.add_argument("--job-id", type=int, required=True)
    parser.add_argument("--models", type=Path, required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--keep", type=int, default=5)
    parser.add_argument("--no-bar", action="store_true", help="no progress bar on rank 0")
    args = parser.parse_args(argv)

    import torch.distributed as dist

    rank, world, local = (int(os.environ[k]) for k in ("RANK", "WORLD_SIZE", "LOCAL_RANK"))
    logging.basicConfig(level=logging.INFO, format=f"%(asctime)s rank{rank} %(levelname)s %(message)s")
    placement = place(args.device, args.threads, worker_index=local)
    backend = "nccl" if placement.device.type == "cuda" else "gloo"
    dist.init_process_group(backend, device_id=placement.device if backend == "nccl" else None)
    store = JobStore(args.jobs) if rank == 0 else None
    ctx = WorkerContext(
        kind=args.kind,
        params=json.loads(args.params),
        placement=placement,
        workdir=job_dir(args.work, args.job_id),
        registry=Registry(args.models, keep=args.keep),
        job_id=args.job_id,
        rank=rank,
        world_size=world,
        bar=rank == 0 and not args.no_bar,
        store=store,
    )
    code = 0
    try:
        version = runner(args.kind)(ctx)
        if store is not None:
            store.succeed(
                args.job_id, version.name if version else None, version.manifest.metrics if version else None
            )
            print(json.dumps({"job": args.job_id, "version": version.name if version else None}))
    except JobCancelled:
        if store is not None:
            store.mark_cancelled(args.job_id)
        code = 1
    except Exception:
        if store is not None:
            store.fail(args.job_id, traceback.format_exc(), retry=False)
        traceback.print_exc()
        code = 1
    finally:
        ctx.close()
        if dist.is_initialized():
            if code == 0:
                _wait_for_every_rank(dist, placement.device)
            dist.destroy_process_group()
        if store is not None:
            store.close()
    return code


def _wait_for_every_rank(dist: ModuleType, device: torch.device) -> None:
    """Hold each rank until all have finished before the group is torn down.

    Rank 0 still writes the checkpoint and the job row after the others are done; a rank that tore down its
    gloo pair meanwhile aborted now and then at exit ("terminate called without an active exception").
    Only called on success: a failed rank may have left the others inside a collective.
    """
    try:
        if device.type == "cuda":
            dist.barrier(device_ids=[device.index])
        else:
            # Names the rank that never arrived instead of hanging on it.
            dist.monitored_barrier(timeout=timedelta(seconds=120))
    except RuntimeError as exc:
        logging.warning("ranks did not all finish together: %s", exc)


if __name__ == "__main__":
    sys.exit(main())
