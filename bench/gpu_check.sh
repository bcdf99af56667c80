#!/usr/bin/env bash
# One prepared GPU check (a few minutes): each torch model kind trains a fixed number of steps on CUDA
# with bf16 and on the CPU, throughput side by side, then the gpu-marked tests. Full log in LOG_DIR.
# Usage: bench/gpu_check.sh LOG_DIR [STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
log_dir=${1:?usage: bench/gpu_check.sh LOG_DIR [STEPS]}
steps=${2:-300}
mkdir -p "$log_dir"
python=${PYTHON:-.venv/bin/python}
{
    date -u
    command -v nvidia-smi >/dev/null && nvidia-smi || echo "nvidia-smi: not found"
    "$python" -m bench.gpu_check "$log_dir" --steps "$steps"
} 2>&1 | tee "$log_dir/gpu_check.log"
