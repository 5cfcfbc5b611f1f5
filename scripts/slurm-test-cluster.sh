#!/usr/bin/env bash
# Runs COMMAND against a real single-node Slurm (munged + slurmctld + slurmd) started for it, without
# systemd, inside a private network namespace (`unshare -n --fork`) with its own loopback, then stops it.
# Usage: scripts/slurm-test-cluster.sh COMMAND [ARG...]   (as root: unshare needs it)
# COMMAND sees SLURM_CONF (and ATHANOR_SLURM_DIR, the cluster's folder); its exit status is the script's.
# Needs Debian's slurmctld slurmd slurm-client munge iproute2 util-linux (scripts/setup.sh installs them).
# The partition `debug` (default) allows at most 10 minutes and 2048 MB a job; `short` at most 1 minute.
set -euo pipefail

if [ $# -eq 0 ]; then
    echo "usage: $0 COMMAND [ARG...]" >&2
    exit 2
fi

if [ "${ATHANOR_SLURM_INSIDE:-}" != 1 ]; then
    for tool in unshare ip munged mungekey slurmctld slurmd sinfo scontrol; do
        command -v "$tool" >/dev/null || PATH="$PATH:/usr/sbin:/sbin"
        command -v "$tool" >/dev/null ||
            { echo "slurm-test-cluster: '$tool' is not installed (scripts/setup.sh installs it)" >&2; exit 127; }
    done
    export ATHANOR_SLURM_INSIDE=1 PATH
    exec unshare -n --fork "$0" "$@"
fi

ip link set lo up
ip addr add 127.0.0.2/8 dev lo

dir=$(mktemp -d "${TMPDIR:-/tmp}/athanor-slurm.XXXXXX")
mkdir -p "$dir/spool/ctld" "$dir/spool/d" "$dir/log"
cpus=$(nproc)
cat >"$dir/slurm.conf" <<EOF
ClusterName=athanor-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
EnforcePartLimits=ALL
ReturnToService=2
MpiDefault=none
StateSaveLocation=$dir/spool/ctld
SlurmdSpoolDir=$dir/spool/d
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
JobCompType=jobcomp/filetxt
JobCompLoc=$dir/log/jobcomp.txt
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
KillWait=2
MinJobAge=600
InactiveLimit=0
SlurmctldTimeout=10
SlurmdTimeout=10
MessageTimeout=5
DefMemPerCPU=128
NodeName=localhost CPUs=$cpus RealMemory=2048 State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=10 State=UP
PartitionName=short Nodes=localhost MaxTime=1 State=UP
EOF
export SLURM_CONF="$dir/slurm.conf" ATHANOR_SLURM_DIR="$dir"

# The daemons start with no descriptor but the standard three, pointed at /dev/null: one they inherited
# (a pipe of the process that started this script) would keep that process waiting for ever.
detached() {
    (
        for fd in /proc/self/fd/*; do
            n=${fd##*/}
            [ "$n" -gt 2 ] 2>/dev/null && eval "exec $n>&-"
        done
        exec "$@"
    ) </dev/null >/dev/null 2>&1
}

mungekey -c -k "$dir/munge.key" >/dev/null 2>&1 || mungekey -c -f -k "$dir/munge.key"
chmod 600 "$dir/munge.key"
detached munged --force -S "$dir/munge.socket" --key-file "$dir/munge.key" --pid-file "$dir/munged.pid" \
    --log-file "$dir/log/munged.log" --seed-file "$dir/munge.seed"

pid_of() { [ -s "$1" ] && cat "$1" 2>/dev/null || true; }
stop() {
    local pids="" pid
    for file in "$dir/slurmctld.pid" "$dir/slurmd.pid"; do pids+=" $(pid_of "$file")"; done
    scontrol shutdown >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do
        alive=""
        for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
        [ -z "$alive" ] && break
        sleep 0.1
    done
    for pid in $pids $(pid_of "$dir/munged.pid"); do kill -9 "$pid" 2>/dev/null || true; done
    [ -n "${ATHANOR_SLURM_KEEP:-}" ] || rm -rf "$dir"
}
trap stop EXIT

detached slurmctld -f "$SLURM_CONF"
detached slurmd -f "$SLURM_CONF" -N localhost
ready=""
for _ in $(seq 1 200); do
    if [ "$(sinfo -h -o %T 2>/dev/null | head -1)" = "idle" ]; then ready=1; break; fi
    sleep 0.05
done
if [ -z "$ready" ]; then
    echo "slurm-test-cluster: the node did not become idle; slurmctld's log:" >&2
    tail -20 "$dir/log/slurmctld.log" >&2 || true
    exit 1
fi

status=0
"$@" || status=$?
exit "$status"
