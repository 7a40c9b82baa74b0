#!/usr/bin/env bash
# Each step of the optimisation chain, measured by today's bench against the floor in one run.
cd /work/main
for d in /work/perf/0ac1bb6p /work/perf/0ac1bb6 /work/perf/1885099 /work/perf/4606a8e /work/perf/38ca1ee /work/perf/57efead /work/main; do
  name=$(basename $d)
  BENCH_PROJECT_DIR=$d timeout 600 npm run bench -- --only=connect,p2p,fanout,flush --targets=project,floor > .scratch/chain-$name.out 2> .scratch/chain-$name.err
  echo "$name $?" >> .scratch/chain.done
done
