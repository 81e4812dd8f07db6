#!/usr/bin/env bash
# record.sh - record the sample captures in samples/ from real Linux kernel TCP
# stacks talking between network namespaces that this script creates.
#
#   sudo samples/record.sh                     record every scenario
#   sudo samples/record.sh NAME...             record only these scenarios
#   samples/record.sh --list                   list the scenarios
#   sudo samples/record.sh --bench OUT.pcap [PACKETS]
#                                              big benchmark capture (default
#                                              3000000 packets), outside the repo
#
# Only namespaces named tcpst-* are used (created fresh for every scenario and
# deleted on exit, also on failure); only the addresses 10.200.0.0/24,
# 10.201.0.0/16 (spoofed SYN sources) and fd00:200::/64 exist in them. Nothing
# touches the root namespace's interfaces and no packet leaves the namespaces.
# See samples/README.md.
set -euo pipefail

HERE=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)
OUTDIR=$HERE
TOOLS=$HERE/tools
PY=${PYTHON:-/usr/bin/python3}
SETTLE=1.5   # s between the last packet and stopping a capture (> libpcap's 1 s block timeout)

NS_client=tcpst-client
NS_server=tcpst-server
NS_sink=tcpst-sink
IF_C=veth-c  IF_S=veth-s     # client <-> server link (in tcpst-client / tcpst-server)
IF_SK=veth-sk IF_K=veth-k    # server <-> sink link   (in tcpst-server / tcpst-sink)
MAC_C=02:00:0a:c8:00:01 MAC_S=02:00:0a:c8:00:02 MAC_SK=02:00:0a:c8:01:02 MAC_K=02:00:0a:c8:00:03
IP_C=10.200.0.1 IP_S=10.200.0.2 IP_K=10.200.0.3 FLOOD_NET=10.201.0.0/16
IP6_C=fd00:200::1 IP6_S=fd00:200::2
PORT=8080

SCENARIOS=(
  "client-close        client-close.pcap        client connects, 100 B request, 1000 B reply, client closes first"
  "server-close        server-close.pcap        same exchange, server closes first"
  "refused             refused.pcap             connect to port 8081 without a listener -> RST,ACK"
  "firewalled-syn      firewalled-syn.pcap      SYNs to 8082 dropped by iptables, client gives up (tcp_syn_retries=3)"
  "server-abort        server-abort.pcap        exchange, then the server closes with SO_LINGER {1,0} -> RST"
  "half-open           half-open.pcap           server vanishes (firewall + linger-0 close), client retransmits, RST"
  "syn-flood           syn-flood.pcap           2000 spoofed SYNs at 400/s + 20 legit connections, SYN cookies"
  "time-wait-burst     time-wait-burst.pcap     BURST_COUNT short connections, client ends in TIME-WAIT"
  "ipv6-client-close   ipv6-client-close.pcap   client-close over IPv6"
  "client-close-pcapng client-close.pcapng      client-close recorded by dumpcap (pcapng)"
  "multi-if            multi-if.pcapng          dumpcap on veth (Ethernet) + any (Linux cooked) in one pcapng"
  "client-close-sll2   client-close-sll2.pcap   client-close recorded by tcpdump -i any (LINUX_SLL2)"
  "client-close-ns     client-close-ns.pcap     client-close with nanosecond timestamps"
  "client-close-gz     client-close.pcap.gz     gzip -9 of client-close.pcap"
  "rst-not-accepted    rst-not-accepted.pcap    two RSTs injected as the client's (out of window; in window, not RCV.NXT: challenge ACK), then a normal close"
  "last-ack-dropped    last-ack-dropped.pcap    client closes, the server answers FIN,ACK at once, the client's last ACK is dropped before the wire"
  "time-wait-rst       time-wait-rst.pcap       client-close, then a RST at the client's RCV.NXT injected as the server's ends its TIME-WAIT (RFC 1337)"
  "time-wait-reuse     time-wait-reuse.pcap     server-close twice on one four-tuple, 1 s apart: the server accepts the second SYN in TIME-WAIT"
  "keepalive-silent    keepalive-silent.pcap    idle connection, the server vanishes, the client's keepalive probes go unanswered until its kernel gives up"
  "time-wait-reuse-client time-wait-reuse-client.pcap client-close twice on one four-tuple, 1.5 s apart: the client reuses its port in TIME-WAIT (tcp_tw_reuse=1)"
  "simultaneous-open   simultaneous-open.pcap   both ends connect() to each other, the first SYNs dropped: the retries cross (SYN-SENT -> SYN-RECEIVED on both)"
  "simultaneous-close  simultaneous-close.pcap  exchange, then both ends close in the same instant, the first FINs dropped: the retransmitted FINs cross (FIN-WAIT-1 -> CLOSING -> TIME-WAIT on both)"
  "challenge-ack       challenge-ack.pcap       the client forgets an open connection (its RST dropped) and connects again from the same port: challenge ACK, RST, new connection"
)
BURST_COUNT=${BURST_COUNT:-2000}   # 3000 gives a 2.6 MB capture; 2000 keeps it near 1.7 MB

log() { printf '[record] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
nsx() { local role=$1; shift; ip netns exec "$(ns_of "$role")" "$@"; }
ns_of() { local v="NS_$1"; printf '%s' "${!v}"; }

# ---------------------------------------------------------------- cleanup ---
WORK=
kill_ns_procs() {   # processes inside one of our tcpst-* namespaces (all ours)
  local ns=$1 pids i
  for i in 1 2 3 4 5 6 7 8 9 10; do
    pids=$(ip netns pids "$ns" 2>/dev/null || true)
    [ -z "$pids" ] && return 0
    # shellcheck disable=SC2086
    if [ "$i" -lt 8 ]; then kill $pids 2>/dev/null || true; else kill -9 $pids 2>/dev/null || true; fi
    sleep 0.2
  done
}
teardown() {
  local ns
  for ns in $(ip netns list 2>/dev/null | awk '$1 ~ /^tcpst-/ {print $1}'); do
    kill_ns_procs "$ns"
    ip netns del "$ns" 2>/dev/null || true
  done
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  teardown
  [ -n "$WORK" ] && rm -rf -- "$WORK"
  [ $rc -ne 0 ] && log "failed (exit $rc); namespaces removed"
  exit $rc
}

# ------------------------------------------------------------------ setup ---
NOTES=()
note() { NOTES+=("# $*"); }
set_sysctl() {      # set_sysctl ROLE key=value...  (recorded in the .ss.txt)
  local role=$1 kv; shift
  for kv; do nsx "$role" sysctl -qw "$kv"; note "sysctl $role $kv (set by record.sh)"; done
}
show_sysctl() {     # show_sysctl ROLE key...  (record the value in force)
  local role=$1 k; shift
  for k; do note "sysctl $role $k=$(nsx "$role" sysctl -n "$k" | tr '\t' ' ') (default)"; done
}
make_ns() {         # make_ns ROLE v4|v6
  local role=$1 fam=$2
  ip netns add "$(ns_of "$role")"
  nsx "$role" ip link set lo up
  if [ "$fam" = v4 ]; then   # no IPv6 at all: no ND/MLD noise in IPv4 captures
    set_sysctl "$role" net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  else                       # addresses usable at once, no router solicitations
    set_sysctl "$role" net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.accept_ra=0 \
      net.ipv6.conf.default.router_solicitations=0
  fi
}
veth() {            # veth ROLE1 IF1 MAC1 ROLE2 IF2 MAC2 ; created directly inside the namespaces
  ip link add "$2" netns "$(ns_of "$1")" address "$3" type veth \
     peer name "$5" netns "$(ns_of "$4")" address "$6"
  local r i
  for r in "$1:$2" "$4:$5"; do
    # software checksums and no segmentation offload: the capture shows packets as on a wire
    nsx "${r%%:*}" ethtool -K "${r#*:}" tx off tso off gso off gro off >/dev/null
    nsx "${r%%:*}" ip link set "${r#*:}" up
  done
}
setup_pair() {      # setup_pair v4|v6 : client <-> server
  make_ns client "$1"; make_ns server "$1"
  veth client "$IF_C" "$MAC_C" server "$IF_S" "$MAC_S"
  if [ "$1" = v4 ]; then
    nsx client ip addr add "$IP_C/24" dev "$IF_C"
    nsx server ip addr add "$IP_S/24" dev "$IF_S"
  else
    nsx client ip addr add "$IP6_C/64" dev "$IF_C" nodad
    nsx server ip addr add "$IP6_S/64" dev "$IF_S" nodad
  fi
  note "offloads: ethtool -K <veth> tx off tso off gso off gro off on every veth"
}

wait_listen() {     # wait_listen ROLE PORT
  local i
  for i in $(seq 100); do
    [ -n "$(nsx "$1" ss -ltnH "sport = :$2")" ] && return 0
    sleep 0.05
  done
  die "nothing listens on port $2 in $(ns_of "$1")"
}
bg() {              # bg ROLE cmd... : background process inside the namespace
  local role=$1; shift
  ip netns exec "$(ns_of "$role")" "$@" >>"$WORK/bg.log" 2>&1 &
  BG_PID=$!
}
server() {          # server ROLE ADDR [server.py options]
  local role=$1 addr=$2; shift 2
  bg "$role" "$PY" "$TOOLS/server.py" --addr "$addr" --port "$PORT" "$@"
  wait_listen "$role" "$PORT"
}
client() { nsx client "$PY" "$TOOLS/client.py" "$@" >&2; }

# ---------------------------------------------------------------- capture ---
CAP_PID='' CAP_FILE='' CAP_DESC='' CAP_ERR='' CAP_STATS=''
shell_words() { local a; for a; do case $a in *[[:space:]]*) printf " '%s'" "$a";; *) printf ' %s' "$a";; esac; done; }
cap_start() {       # cap_start ROLE tcpdump|dumpcap FILE args...
  local role=$1 tool=$2 ready i
  CAP_FILE=$3; shift 3
  CAP_ERR=$WORK/capture.err; : >"$CAP_ERR"
  rm -f -- "$CAP_FILE"
  case $tool in
    tcpdump) ready='listening on'
             ip netns exec "$(ns_of "$role")" tcpdump -U --immediate-mode -Z root -w "$CAP_FILE" "$@" 2>"$CAP_ERR" & ;;
    dumpcap) ready='Capturing on'
             ip netns exec "$(ns_of "$role")" dumpcap -w "$CAP_FILE" "$@" 2>"$CAP_ERR" & ;;
  esac
  CAP_PID=$!
  CAP_DESC="$tool$(shell_words "$@") -w $(basename -- "$CAP_FILE") in $(ns_of "$role")"
  for i in $(seq 200); do
    grep -q "$ready" "$CAP_ERR" && return 0
    kill -0 "$CAP_PID" 2>/dev/null || { cat "$CAP_ERR" >&2; die "$tool did not start"; }
    sleep 0.05
  done
  die "$tool did not report '$ready'"
}
cap_stop() {        # let the last packets reach the file, then SIGINT and wait
  sleep "$SETTLE"
  kill -INT "$CAP_PID"
  wait "$CAP_PID" || die "capture exited with status $?: $(cat "$CAP_ERR")"
  CAP_STATS=$(grep -E 'captured|received|dropped' "$CAP_ERR" | tr -d '\r' | tr '\n' ';' | sed 's/;$//; s/;/; /g')
  chmod 644 -- "$CAP_FILE"; chown --reference="$OUTDIR" -- "$CAP_FILE"
  log "$(basename -- "$CAP_FILE"): $CAP_STATS"
}

# --------------------------------------------------------------- snapshot ---
ss_snapshot() {     # ss_snapshot NAME ROLE... : kernel socket states -> NAME.ss.txt
  local name=$1 f=$OUTDIR/$1.ss.txt role lines; shift
  {
    echo "# $name: TCP socket states per namespace at the end of the scenario (ss -tanH),"
    echo "# one line per '<role> <STATE> <count>' (ss state names); roles: client=$NS_client server=$NS_server sink=$NS_sink"
    echo "# kernel: $(uname -sr)"
    echo "# capture: $CAP_DESC"
    echo "# capture stats: $CAP_STATS"
    [ ${#NOTES[@]} -gt 0 ] && printf '%s\n' "${NOTES[@]}"
    for role; do
      lines=$(nsx "$role" ss -tanH | awk -v r="$role" '{n[$1]++} END {for (s in n) print r, s, n[s]}' | sort)
      if [ -n "$lines" ]; then echo "$lines"; else echo "# $role: no TCP sockets"; fi
    done
  } >"$f"
  chown --reference="$OUTDIR" -- "$f"
  grep -v '^#' "$f" | sed 's/^/[record]   /' >&2
}

count() { tcpdump -nr "$1" "$2" 2>/dev/null | wc -l; }
check() {           # check FILE FILTER MIN [MAX] WHAT
  local n; n=$(count "$1" "$2")
  if [ "$n" -lt "$3" ] || { [ -n "$4" ] && [ "$n" -gt "$4" ]; }; then
    die "$(basename -- "$1"): $5: $n packets match '$2', expected $3..$4"
  fi
  log "check $(basename -- "$1"): $5: $n"
}

begin() { log "=== $1"; teardown; NOTES=(); }
finish() { ss_snapshot "$@"; teardown; }

# -------------------------------------------------------------- scenarios ---
# client-close and its variants: the only difference is how it is captured.
client_close_run() {    # client_close_run NAME v4|v6 CAPROLE TOOL FILE args...
  local name=$1 fam=$2 addr=$IP_S; shift 2
  [ "$fam" = v6 ] && addr=$IP6_S
  begin "$name"
  setup_pair "$fam"
  [ "$fam" = v6 ] && sleep 3   # let the link-local address' MLD reports pass before capturing
  server server "$addr" --close client-first --req 100 --resp 1000
  cap_start "$@"
  client --addr "$addr" --sport 40000 --req 100 --resp 1000 --close client-first
  cap_stop
  finish "$name" client server
}

sc_client_close() {
  client_close_run client-close v4 client tcpdump "$OUTDIR/client-close.pcap" -i "$IF_C"
  check "$OUTDIR/client-close.pcap" 'tcp[tcpflags] & tcp-fin != 0' 2 2 "FINs"
}

sc_server_close() {
  begin server-close
  setup_pair v4
  server server "$IP_S" --close server-first --req 100 --resp 1000
  cap_start client tcpdump "$OUTDIR/server-close.pcap" -i "$IF_C"
  client --addr "$IP_S" --sport 40000 --req 100 --resp 1000 --close server-first
  cap_stop
  finish server-close client server
}

sc_refused() {
  begin refused
  setup_pair v4
  server server "$IP_S"      # listens on 8080 only
  cap_start client tcpdump "$OUTDIR/refused.pcap" -i "$IF_C"
  client --addr "$IP_S" --port 8081 --sport 40000 --expect refused
  cap_stop
  finish refused client server
  check "$OUTDIR/refused.pcap" 'tcp[tcpflags] & tcp-rst != 0' 1 1 "RST"
}

sc_firewalled_syn() {
  begin firewalled-syn
  setup_pair v4
  set_sysctl client net.ipv4.tcp_syn_retries=3
  # Linux >= 6.x has tcp_syn_linear_timeouts (4 linear 1 s SYN timeouts before
  # the exponential backoff); 0 gives the classic 1,2,4,8 s backoff.
  if nsx client test -e /proc/sys/net/ipv4/tcp_syn_linear_timeouts; then
    set_sysctl client net.ipv4.tcp_syn_linear_timeouts=0
  fi
  PORT=8082 server server "$IP_S"
  nsx server iptables -A INPUT -p tcp --dport 8082 --syn -j DROP
  note "iptables server -A INPUT -p tcp --dport 8082 --syn -j DROP"
  cap_start client tcpdump "$OUTDIR/firewalled-syn.pcap" -i "$IF_C"
  client --addr "$IP_S" --port 8082 --sport 40000 --expect timeout
  cap_stop
  finish firewalled-syn client server
  check "$OUTDIR/firewalled-syn.pcap" 'tcp[tcpflags] == tcp-syn' 4 4 "SYNs (1 + 3 retries)"
}

sc_server_abort() {
  begin server-abort
  setup_pair v4
  server server "$IP_S" --close abort --delay 0.2
  cap_start client tcpdump "$OUTDIR/server-abort.pcap" -i "$IF_C"
  client --addr "$IP_S" --sport 40000 --close wait-reset --expect reset
  cap_stop
  finish server-abort client server
  check "$OUTDIR/server-abort.pcap" "src host $IP_S and tcp[tcpflags] & tcp-rst != 0" 1 1 "RST from server"
}

sc_half_open() {
  begin half-open
  setup_pair v4
  show_sysctl client net.ipv4.tcp_retries2
  local ready=$WORK/ready go=$WORK/go abort=$WORK/abort done=$WORK/done i
  server server "$IP_S" --close abort-on-file --abort-file "$abort" --done-file "$done"
  cap_start client tcpdump "$OUTDIR/half-open.pcap" -i "$IF_C"
  bg client "$PY" "$TOOLS/client.py" --addr "$IP_S" --sport 40000 --close half-open \
     --ready-file "$ready" --go-file "$go" --late 200 --expect reset
  local cpid=$BG_PID
  for i in $(seq 200); do [ -e "$ready" ] && break; sleep 0.05; done
  sleep 0.5
  # the server "vanishes": it drops everything, then its process aborts the
  # connection (the RST is dropped too), so its kernel forgets the connection
  nsx server iptables -A INPUT -j DROP
  nsx server iptables -A OUTPUT -j DROP
  note "iptables server -A INPUT -j DROP; -A OUTPUT -j DROP (t=0), removed 3.5 s after the client's late send"
  touch "$abort"
  for i in $(seq 200); do [ -e "$done" ] && break; sleep 0.05; done
  sleep 0.5
  touch "$go"                       # client sends 200 more bytes: retransmitted unanswered
  sleep 3.5                         # RTO 0.2 s doubling: retransmits at ~0.2, 0.6, 1.4, 3.0 s
  nsx server iptables -F INPUT
  nsx server iptables -F OUTPUT     # next retransmission (~6.2 s) is answered with RST
  wait "$cpid" || die "half-open client: $(tail -n 3 "$WORK/bg.log")"
  tail -n 1 "$WORK/bg.log" >&2
  cap_stop
  finish half-open client server
  check "$OUTDIR/half-open.pcap" "src host $IP_S and tcp[tcpflags] & tcp-rst != 0" 1 1 "RST from server"
  check "$OUTDIR/half-open.pcap" "src host $IP_C and tcp[tcpflags] & tcp-push != 0 and greater 200" 5 9 "late data segment + retransmissions"
}

sc_rst_not_accepted() {
  begin rst-not-accepted
  setup_pair v4
  local ready=$WORK/ready go=$WORK/go done=$WORK/done listening=$WORK/listening i
  server server "$IP_S"
  cap_start client tcpdump "$OUTDIR/rst-not-accepted.pcap" -i "$IF_C"
  bg client "$PY" "$TOOLS/inject_rst.py" --if "$IF_C" --src "$IP_C" --sport 40000 --dst "$IP_S" \
     --dport "$PORT" --ready-file "$ready" --done-file "$done" --listening-file "$listening"
  local ipid=$BG_PID
  for i in $(seq 200); do [ -e "$listening" ] && break; sleep 0.05; done
  [ -e "$listening" ] || die "inject_rst did not start: $(tail -n 3 "$WORK/bg.log")"
  bg client "$PY" "$TOOLS/client.py" --addr "$IP_S" --sport 40000 --close pause-close \
     --ready-file "$ready" --go-file "$go" --late 200 --delay 0.2
  local cpid=$BG_PID
  note "inject_rst.py (raw socket in the client's namespace): RST seq = client's SND.NXT + 2^30, then SND.NXT + 100"
  wait "$ipid" || die "inject_rst: $(tail -n 3 "$WORK/bg.log")"
  sleep 0.5
  touch "$go"                       # the client goes on: 200 more bytes, then its FIN
  wait "$cpid" || die "client: $(tail -n 3 "$WORK/bg.log")"
  cap_stop
  finish rst-not-accepted client server
  check "$OUTDIR/rst-not-accepted.pcap" "src host $IP_C and tcp[tcpflags] & tcp-rst != 0" 2 2 "injected RSTs"
  check "$OUTDIR/rst-not-accepted.pcap" "src host $IP_S and tcp[tcpflags] & tcp-rst != 0" 0 0 "RST from server"
  check "$OUTDIR/rst-not-accepted.pcap" "tcp[tcpflags] & tcp-fin != 0" 2 2 "FINs of the normal close"
}

sc_last_ack_dropped() {
  begin last-ack-dropped
  setup_pair v4
  local ready=$WORK/ready go=$WORK/go i
  server server "$IP_S" --delay 0   # closes as soon as it reads the client's FIN: one FIN,ACK
  cap_start client tcpdump "$OUTDIR/last-ack-dropped.pcap" -i "$IF_C"
  bg client "$PY" "$TOOLS/client.py" --addr "$IP_S" --sport 40000 --close pause-close \
     --ready-file "$ready" --go-file "$go" --late 0 --delay 0
  local cpid=$BG_PID
  for i in $(seq 200); do [ -e "$ready" ] && break; sleep 0.05; done
  [ -e "$ready" ] || die "client did not get its reply: $(tail -n 3 "$WORK/bg.log")"
  nsx client iptables -A OUTPUT -p tcp --tcp-flags ALL ACK -j DROP
  note "iptables client -A OUTPUT -p tcp --tcp-flags ALL ACK -j DROP before the client closes: its bare ACKs (the last ACK and its repeats) never reach the wire"
  touch "$go"
  wait "$cpid" || die "client: $(tail -n 3 "$WORK/bg.log")"
  sleep 1                           # the server sends its FIN,ACK again (RTO 0.2 s, doubling)
  cap_stop
  finish last-ack-dropped client server
  check "$OUTDIR/last-ack-dropped.pcap" "src host $IP_S and tcp[tcpflags] & (tcp-fin|tcp-ack) == (tcp-fin|tcp-ack)" 2 6 "server FIN,ACK and its repeats"
  check "$OUTDIR/last-ack-dropped.pcap" "src host $IP_C and tcp[tcpflags] & tcp-fin != 0" 1 1 "client FIN"
}

sc_time_wait_rst() {
  begin time-wait-rst
  setup_pair v4
  show_sysctl client net.ipv4.tcp_rfc1337
  local ready=$WORK/ready done=$WORK/done listening=$WORK/listening i
  server server "$IP_S"
  cap_start client tcpdump "$OUTDIR/time-wait-rst.pcap" -i "$IF_C"
  bg server "$PY" "$TOOLS/inject_rst.py" --if "$IF_S" --src "$IP_S" --sport "$PORT" --dst "$IP_C" \
     --dport 40000 --offsets 0 --ready-file "$ready" --done-file "$done" --listening-file "$listening"
  local ipid=$BG_PID
  for i in $(seq 200); do [ -e "$listening" ] && break; sleep 0.05; done
  [ -e "$listening" ] || die "inject_rst did not start: $(tail -n 3 "$WORK/bg.log")"
  client --addr "$IP_S" --sport 40000   # the client closes first: TIME-WAIT
  sleep 0.5
  touch "$ready"
  note "inject_rst.py (raw socket in the server's namespace), 0.5 s after the close: RST seq = the server's SND.NXT (the client's RCV.NXT)"
  wait "$ipid" || die "inject_rst: $(tail -n 3 "$WORK/bg.log")"
  cap_stop
  finish time-wait-rst client server
  check "$OUTDIR/time-wait-rst.pcap" "src host $IP_S and tcp[tcpflags] & tcp-rst != 0" 1 1 "injected RST"
  check "$OUTDIR/time-wait-rst.pcap" "tcp[tcpflags] & tcp-fin != 0" 2 2 "FINs of the close"
}

sc_time_wait_reuse() {
  begin time-wait-reuse
  setup_pair v4
  server server "$IP_S" --close server-first
  cap_start client tcpdump "$OUTDIR/time-wait-reuse.pcap" -i "$IF_C"
  # the same client port twice: the second SYN reaches the server's TIME-WAIT socket, which
  # accepts it (a later sequence number and timestamp) and is gone
  client --addr "$IP_S" --sport 40000 --close server-first --count 2 --interval 1
  cap_stop
  finish time-wait-reuse client server
  check "$OUTDIR/time-wait-reuse.pcap" "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn" 2 2 "SYNs, one per connection"
  check "$OUTDIR/time-wait-reuse.pcap" "src host $IP_S and tcp[tcpflags] & tcp-fin != 0" 2 2 "server FINs"
}

sc_keepalive_silent() {
  begin keepalive-silent
  setup_pair v4
  local ready=$WORK/ready abort=$WORK/abort done=$WORK/done i
  server server "$IP_S" --close abort-on-file --abort-file "$abort" --done-file "$done"
  cap_start client tcpdump "$OUTDIR/keepalive-silent.pcap" -i "$IF_C"
  bg client "$PY" "$TOOLS/client.py" --addr "$IP_S" --sport 40000 --close keepalive --ready-file "$ready" \
     --expect timeout
  local cpid=$BG_PID
  for i in $(seq 200); do [ -e "$ready" ] && break; sleep 0.05; done
  [ -e "$ready" ] || die "client did not get its reply: $(tail -n 3 "$WORK/bg.log")"
  # the server vanishes before the first probe (1 s idle): it drops everything, then its
  # process aborts the connection (the RST is dropped too), so its kernel forgets it
  nsx server iptables -A INPUT -j DROP
  nsx server iptables -A OUTPUT -j DROP
  note "client SO_KEEPALIVE, TCP_KEEPIDLE=1 TCP_KEEPINTVL=1 TCP_KEEPCNT=3; iptables server -A INPUT -j DROP; -A OUTPUT -j DROP right after the reply, then the server aborts"
  touch "$abort"
  for i in $(seq 200); do [ -e "$done" ] && break; sleep 0.05; done
  wait "$cpid" || die "keepalive client: $(tail -n 3 "$WORK/bg.log")"
  tail -n 1 "$WORK/bg.log" >&2
  cap_stop
  finish keepalive-silent client server
  check "$OUTDIR/keepalive-silent.pcap" "src host $IP_C and tcp[tcpflags] == tcp-ack and less 70" 4 8 "client ACKs, keepalive probes among them"
  check "$OUTDIR/keepalive-silent.pcap" "src host $IP_S and tcp[tcpflags] & tcp-rst != 0" 0 0 "RST from server"
}

sc_time_wait_reuse_client() {
  begin time-wait-reuse-client
  setup_pair v4
  set_sysctl client net.ipv4.tcp_tw_reuse=1
  server server "$IP_S"
  cap_start client tcpdump "$OUTDIR/time-wait-reuse-client.pcap" -i "$IF_C"
  # the client closes first, then connects again from the same port while that port's last
  # connection is in TIME-WAIT: with tcp_tw_reuse (and newer timestamps, 1 s on) its kernel
  # takes the TIME-WAIT four-tuple over
  client --addr "$IP_S" --sport 40000 --reuseaddr --count 2 --interval 1.5
  cap_stop
  finish time-wait-reuse-client client server
  check "$OUTDIR/time-wait-reuse-client.pcap" "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn" 2 2 "SYNs, one per connection"
  check "$OUTDIR/time-wait-reuse-client.pcap" "src host $IP_C and tcp[tcpflags] & tcp-fin != 0" 2 2 "client FINs"
}

sc_simultaneous_open() {
  begin simultaneous-open
  setup_pair v4
  local started=$WORK/started i
  # the first SYN of each side is dropped where it arrives, so that only the retries meet;
  # twoends.py arms both connect timers in one instant, so the retries fire together
  nsx client iptables -A INPUT -p tcp --syn -j DROP
  nsx server iptables -A INPUT -p tcp --syn -j DROP
  note "iptables client,server -A INPUT -p tcp --syn -j DROP, removed 0.5 s after both connect()s: each side's first SYN is dropped"
  note "twoends.py --mode open: one process, a socket in each namespace ($IP_C:40000 and $IP_S:$PORT), connect() to each other back to back; nothing listens"
  cap_start client tcpdump "$OUTDIR/simultaneous-open.pcap" -i "$IF_C"
  "$PY" "$TOOLS/twoends.py" --mode open --ns-a "$NS_client" --addr-a "$IP_C" --port-a 40000 --ns-b "$NS_server" \
     --addr-b "$IP_S" --port-b "$PORT" --started-file "$started" >>"$WORK/bg.log" 2>&1 &
  local spid=$!
  for i in $(seq 200); do [ -e "$started" ] && break; sleep 0.05; done
  [ -e "$started" ] || die "twoends did not start: $(tail -n 3 "$WORK/bg.log")"
  sleep 0.5
  nsx client iptables -F INPUT
  nsx server iptables -F INPUT
  wait "$spid" || die "twoends: $(tail -n 3 "$WORK/bg.log")"
  tail -n 1 "$WORK/bg.log" >&2
  cap_stop
  finish simultaneous-open client server
  check "$OUTDIR/simultaneous-open.pcap" "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn" 4 4 "pure SYNs: each side's first and its retry"
  check "$OUTDIR/simultaneous-open.pcap" "src host $IP_C and tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)" 1 "" "SYN-ACKs from the client"
  check "$OUTDIR/simultaneous-open.pcap" "src host $IP_S and tcp[tcpflags] & (tcp-syn|tcp-ack) == (tcp-syn|tcp-ack)" 1 "" "SYN-ACKs from the server"
}

sc_simultaneous_close() {
  begin simultaneous-close
  setup_pair v4
  local ready=$WORK/ready go=$WORK/go i
  cap_start client tcpdump "$OUTDIR/simultaneous-close.pcap" -i "$IF_C"
  "$PY" "$TOOLS/twoends.py" --mode close --ns-a "$NS_client" --addr-a "$IP_C" --port-a 40000 --ns-b "$NS_server" \
     --addr-b "$IP_S" --port-b "$PORT" --ready-file "$ready" --go-file "$go" >>"$WORK/bg.log" 2>&1 &
  local spid=$!
  for i in $(seq 200); do [ -e "$ready" ] && break; sleep 0.05; done
  [ -e "$ready" ] || die "twoends did not get its exchange done: $(tail -n 3 "$WORK/bg.log")"
  # each side's first FIN is dropped where it arrives; twoends.py closes both ends in one
  # instant, so their retransmission timers fire together and the second FINs cross
  nsx client iptables -A INPUT -p tcp --tcp-flags FIN FIN -j DROP
  nsx server iptables -A INPUT -p tcp --tcp-flags FIN FIN -j DROP
  note "iptables client,server -A INPUT -p tcp --tcp-flags FIN FIN -j DROP, removed 0.1 s after both ends closed: each side's first FIN is dropped"
  note "twoends.py --mode close: one process holds both ends ($IP_C:40000 and $IP_S:$PORT) and closes them back to back"
  touch "$go"
  wait "$spid" || die "twoends: $(tail -n 3 "$WORK/bg.log")"
  sleep 0.1
  nsx client iptables -F INPUT
  nsx server iptables -F INPUT
  tail -n 1 "$WORK/bg.log" >&2
  sleep 1.5                         # the FINs go again (RTO 0.2 s, doubling) and cross
  cap_stop
  finish simultaneous-close client server
  check "$OUTDIR/simultaneous-close.pcap" "src host $IP_C and tcp[tcpflags] & tcp-fin != 0" 2 4 "client FINs (the first dropped, then again)"
  check "$OUTDIR/simultaneous-close.pcap" "src host $IP_S and tcp[tcpflags] & tcp-fin != 0" 2 4 "server FINs (the first dropped, then again)"
}

sc_challenge_ack() {
  begin challenge-ack
  setup_pair v4
  local ready=$WORK/ready go=$WORK/go done=$WORK/done again=$WORK/again i
  server server "$IP_S"
  cap_start client tcpdump "$OUTDIR/challenge-ack.pcap" -i "$IF_C"
  bg client "$PY" "$TOOLS/client.py" --addr "$IP_S" --sport 40000 --close restart --ready-file "$ready" \
     --go-file "$go" --done-file "$done" --again-file "$again"
  local cpid=$BG_PID
  for i in $(seq 200); do [ -e "$ready" ] && break; sleep 0.05; done
  [ -e "$ready" ] || die "client did not get its reply: $(tail -n 3 "$WORK/bg.log")"
  # the client "restarts": it aborts the connection and its RST never reaches the wire, so
  # the server still holds the connection ESTABLISHED when the same port connects again
  nsx client iptables -A OUTPUT -p tcp --tcp-flags RST RST -j DROP
  touch "$go"
  for i in $(seq 200); do [ -e "$done" ] && break; sleep 0.05; done
  sleep 0.3
  nsx client iptables -F OUTPUT
  note "client aborts (SO_LINGER {1,0}) with iptables client -A OUTPUT -p tcp --tcp-flags RST RST -j DROP, then (rule removed) connects again from port 40000"
  touch "$again"
  wait "$cpid" || die "client: $(tail -n 3 "$WORK/bg.log")"
  cap_stop
  finish challenge-ack client server
  check "$OUTDIR/challenge-ack.pcap" "tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn" 3 3 "SYNs: the first connection's, the new one's and its retry"
  check "$OUTDIR/challenge-ack.pcap" "src host $IP_C and tcp[tcpflags] & tcp-rst != 0" 1 1 "client RST answering the challenge ACK"
  check "$OUTDIR/challenge-ack.pcap" "tcp[tcpflags] & tcp-fin != 0" 2 2 "FINs of the new connection's close"
}

sc_syn_flood() {
  begin syn-flood
  setup_pair v4
  make_ns sink v4
  veth server "$IF_SK" "$MAC_SK" sink "$IF_K" "$MAC_K"
  nsx sink ip addr add "$IP_K/32" dev "$IF_K"
  # SYN-ACKs to the spoofed sources go to the sink, which does not own them
  # and does not forward (ip_forward=0): they vanish there.
  nsx server ip neigh replace "$IP_K" lladdr "$MAC_K" dev "$IF_SK" nud permanent
  nsx server ip route add "$FLOOD_NET" via "$IP_K" dev "$IF_SK" onlink
  note "server: ip route add $FLOOD_NET via $IP_K dev $IF_SK onlink (sink, forwarding off)"
  show_sysctl server net.ipv4.tcp_syncookies net.ipv4.tcp_max_syn_backlog net.core.somaxconn \
    net.ipv4.tcp_synack_retries net.ipv4.conf.all.rp_filter
  show_sysctl sink net.ipv4.ip_forward
  note "server listen() backlog: Python default min(SOMAXCONN, 128) = 128"
  server server "$IP_S" --req 100 --resp 1000 --delay 0
  cap_start server tcpdump "$OUTDIR/syn-flood.pcap" -i any -s 128
  bg client "$PY" "$TOOLS/synflood.py" --dst "$IP_S" --dport "$PORT" --src-net "$FLOOD_NET" \
     --count 2000 --rate 400 --seed 1
  local fpid=$BG_PID
  sleep 0.5
  client --addr "$IP_S" --count 20 --interval 0.2 --req 100 --resp 1000 --delay 0
  wait "$fpid" || die "synflood failed: $(tail -n 3 "$WORK/bg.log")"
  tail -n 1 "$WORK/bg.log" >&2
  cap_stop
  local c
  for c in TcpExtSyncookiesSent TcpExtSyncookiesRecv TcpExtSyncookiesFailed TcpExtTCPReqQFullDoCookies \
           TcpExtTCPReqQFullDrop TcpExtListenOverflows TcpExtListenDrops TcpPassiveOpens; do
    note "nstat server $(nsx server nstat -asz "$c" | awk -v c="$c" '$1 == c {print $1, $2}' | grep . || echo "$c 0")"
  done
  finish syn-flood client server sink
  check "$OUTDIR/syn-flood.pcap" "src net $FLOOD_NET and tcp[tcpflags] == tcp-syn" 2000 2000 "spoofed SYNs"
  check "$OUTDIR/syn-flood.pcap" "dst net $FLOOD_NET and tcp[tcpflags] == (tcp-syn|tcp-ack)" 2000 "" "SYN-ACKs to spoofed sources"
  check "$OUTDIR/syn-flood.pcap" "host $IP_C and tcp[tcpflags] & tcp-fin != 0" 40 40 "FINs of the 20 legit connections"
}

sc_time_wait_burst() {
  begin time-wait-burst
  setup_pair v4
  show_sysctl client net.ipv4.ip_local_port_range net.ipv4.tcp_max_tw_buckets net.ipv4.tcp_tw_reuse
  server server "$IP_S" --req 10 --resp 10 --delay 0
  cap_start client tcpdump "$OUTDIR/time-wait-burst.pcap" -i "$IF_C" -s 128
  client --addr "$IP_S" --count "$BURST_COUNT" --req 10 --resp 10 --delay 0
  cap_stop
  finish time-wait-burst client server
  local tw; tw=$(awk '$1 == "client" && $2 == "TIME-WAIT" {print $3}' "$OUTDIR/time-wait-burst.ss.txt")
  [ "${tw:-0}" -ge $((BURST_COUNT * 99 / 100)) ] || die "time-wait-burst: only ${tw:-0} client TIME-WAIT sockets"
  check "$OUTDIR/time-wait-burst.pcap" 'tcp[tcpflags] == tcp-syn' "$BURST_COUNT" "$BURST_COUNT" "SYNs"
}

sc_ipv6_client_close() {
  client_close_run ipv6-client-close v6 client tcpdump "$OUTDIR/ipv6-client-close.pcap" -i "$IF_C"
  check "$OUTDIR/ipv6-client-close.pcap" 'ip6 and tcp' 10 "" "IPv6 TCP packets"
}

sc_client_close_pcapng() {
  client_close_run client-close-pcapng v4 client dumpcap "$OUTDIR/client-close.pcapng" -i "$IF_C" \
    --capture-comment "tcpstate sample client-close: $NS_client $IF_C"
}

sc_multi_if() {
  begin multi-if
  setup_pair v4
  server server "$IP_S" --req 100 --resp 1000
  bg client "$PY" "$TOOLS/server.py" --addr 127.0.0.1 --port "$PORT" --req 50 --resp 500
  wait_listen client "$PORT"
  # interface 0: the veth (Ethernet); interface 1: "any" (Linux cooked), its
  # filter keeps only the loopback exchange so no packet is recorded twice
  cap_start client dumpcap "$OUTDIR/multi-if.pcapng" -i "$IF_C" -i any -f "host 127.0.0.1" \
    --capture-comment "tcpstate sample multi-if: $NS_client $IF_C + any (loopback traffic)"
  client --addr "$IP_S" --sport 40000 --req 100 --resp 1000
  client --addr 127.0.0.1 --sport 40001 --req 50 --resp 500
  cap_stop
  finish multi-if client server
}

sc_client_close_sll2() {
  client_close_run client-close-sll2 v4 client tcpdump "$OUTDIR/client-close-sll2.pcap" -i any -y LINUX_SLL2
}

sc_client_close_ns() {
  client_close_run client-close-ns v4 client tcpdump "$OUTDIR/client-close-ns.pcap" -i "$IF_C" \
    --time-stamp-precision=nano
}

sc_client_close_gz() {
  log "=== client-close-gz"
  [ -s "$OUTDIR/client-close.pcap" ] || sc_client_close
  gzip -9 -n -c "$OUTDIR/client-close.pcap" >"$OUTDIR/client-close.pcap.gz"
  chown --reference="$OUTDIR" -- "$OUTDIR/client-close.pcap.gz"
}

# ------------------------------------------------------------------ bench ---
bench() {           # bench OUT [PACKETS]
  local out=$1 packets=${2:-3000000} repo start end
  repo=$(cd -- "$HERE/.." && pwd)
  out=$(realpath -m -- "$out")
  case $out in "$repo"|"$repo"/*) die "--bench output must be outside the repository ($repo)";; esac
  [[ $packets =~ ^[0-9]+$ ]] || die "PACKETS must be a number"
  begin bench
  setup_pair v4
  set_sysctl client net.ipv4.ip_local_port_range="1024 65535" net.ipv4.tcp_tw_reuse=1
  bg server "$PY" "$TOOLS/bench.py" server --addr "$IP_S" --port "$PORT"
  wait_listen server "$PORT"
  log "capturing $packets packets to $out"
  start=$(date +%s.%N)
  CAP_FILE=$out
  CAP_ERR=$WORK/capture.err
  ip netns exec "$NS_client" tcpdump -Z root -i "$IF_C" -s 128 -B 32768 -c "$packets" -w "$out" 2>"$CAP_ERR" &
  CAP_PID=$!
  local i
  for i in $(seq 200); do grep -q 'listening on' "$CAP_ERR" && break; sleep 0.05; done
  bg client "$PY" "$TOOLS/bench.py" load --addr "$IP_S" --port "$PORT" --conns 300 --churn 8 --bulk 2
  wait "$CAP_PID" || die "tcpdump failed: $(cat "$CAP_ERR")"
  end=$(date +%s.%N)
  cat "$CAP_ERR" >&2
  teardown
  log "bench: $packets packets in $(awk "BEGIN {printf \"%.1f\", $end - $start}") s -> $out ($(du -h -- "$out" | cut -f1))"
}

# ------------------------------------------------------------------- main ---
usage() { sed -n '2,/^set /{/^#/s/^# \{0,1\}//p}' "$0"; }
list() { local s; for s in "${SCENARIOS[@]}"; do echo "${s//BURST_COUNT/$BURST_COUNT}"; done; }

case ${1:-} in
  --list|-l) list; exit 0 ;;
  --help|-h) usage; exit 0 ;;
esac
[ "$(id -u)" -eq 0 ] || die "must run as root (network namespaces, raw sockets, captures)"
for t in ip tcpdump dumpcap iptables ss nstat ethtool gzip "$PY"; do
  command -v "$t" >/dev/null || die "missing $t (see samples/README.md, Requirements)"
done

WORK=$(mktemp -d /tmp/tcpst-record.XXXXXX)
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
teardown    # leftovers of an earlier run

if [ "${1:-}" = --bench ]; then
  [ $# -ge 2 ] || die "usage: $0 --bench OUT.pcap [PACKETS]"
  bench "$2" "${3:-}"
  exit 0
fi

names=()
if [ $# -eq 0 ]; then
  for s in "${SCENARIOS[@]}"; do names+=("${s%% *}"); done
else
  for n; do   # a scenario name, or its capture's file name
    m=$(list | awk -v n="${n##*/}" '$1 == n || $2 == n {print $1}')
    [ -n "$m" ] || die "unknown scenario '$n' (see --list)"
    names+=("$m")
  done
fi
t0=$SECONDS
for n in "${names[@]}"; do "sc_${n//-/_}"; done
log "done: ${#names[@]} scenario(s) in $((SECONDS - t0)) s"
