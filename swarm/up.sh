#!/usr/bin/env bash
# From a Docker engine to the running stack in one command: checks, builds the image from the working tree, creates
# the secrets (random passwords) and node labels that do not exist yet, deploys stack "tictactoe", waits until the app,
# Prometheus, Alertmanager and Grafana are up, and prints where everything is. Each password is written to a file only
# you can read before its secret is made, so no failure can lose it. Run again, it rolls the app to the working tree's
# code and keeps every secret, label and volume; after a failure or an interruption at any step it completes the rest
# with the same passwords. docs/deployment.md explains each step and the manual commands.
set -euo pipefail

STACK=tictactoe
SWARM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_DIR=$(dirname "$SWARM_DIR")
# The first deploy pulls the images and the app starts three JVMs; an update rolls one replica every ~20 s.
WAIT_SECONDS=${UP_WAIT_SECONDS:-300}
# Where the passwords are kept, one folder per swarm (its cluster id); swarm/down.sh --purge deletes it.
STATE_DIR=${XDG_STATE_HOME:-$HOME/.local/state}/tictactoe

usage() {
    cat <<EOF
Usage: swarm/up.sh [--init] [--traffic] [--alerts-to URL] [--no-build] [-c FILE]...

  --init       make this engine a one-node swarm first, if it is in none (docker swarm init)
  --traffic    start the traffic service: simulated players, TRAFFIC_GAMES_PER_SECOND in swarm/stack.yml
               (stop it with: docker service scale ${STACK}_traffic=0)
  --alerts-to URL
               send Alertmanager's notifications to this webhook (http:// or https://), kept in a Swarm secret;
               later runs without it keep the URL given last, a run with another URL replaces it
               (without it, alerts are shown on Alertmanager's page only)
  --no-build   deploy tttapp:\$IMAGE_TAG, an image you built, instead of building the working tree
  -c FILE      one more stack file after swarm/stack.yml (repeatable), as docker stack deploy -c takes it;
               swarm/metrics-published.yml publishes the replicas' /metrics on localhost:3308
  -h, --help   this text

Environment: IMAGE_TAG (with --no-build), BUILD_ARGS (more docker build arguments, split at spaces, such as
"--build-arg BUILD_IMAGE=registry.example/maven:3.9.16-eclipse-temurin-25-noble"), UP_WAIT_SECONDS (default 300),
XDG_STATE_HOME (the passwords are kept in \$XDG_STATE_HOME/tictactoe, by default ~/.local/state/tictactoe).
swarm/down.sh removes the stack.
EOF
}

fail() {
    echo "up.sh: $*" >&2
    exit 1
}

usage_error() {
    echo "up.sh: $*" >&2
    usage >&2
    exit 2
}

# Secrets this run made; on a failure or a signal, the EXIT trap says where their passwords are.
created=()
passwords_dir=""
on_exit() {
    local status=$?
    if [ "$status" -ne 0 ] && [ ${#created[@]} -gt 0 ]; then
        echo "up.sh: the passwords of the secrets made so far (${created[*]}) are kept in $passwords_dir, which" \
            "only you can read; swarm/up.sh again completes the stack with them" >&2
    fi
}
trap on_exit EXIT
# A signal ends the run through the EXIT trap, with the status a shell gives a command killed by it.
trap 'exit 130' INT
trap 'exit 143' TERM

init=false
traffic=false
alerts_to=""
build=true
stack_files=(-c "$SWARM_DIR/stack.yml")
while [ $# -gt 0 ]; do
    case "$1" in
        --init) init=true ;;
        --traffic) traffic=true ;;
        --alerts-to)
            [ $# -ge 2 ] || usage_error "--alerts-to needs a URL"
            # One line, no spaces: what a webhook URL is, and what a secret file read by Alertmanager may hold.
            [[ "$2" =~ ^https?://[^[:space:]/]+[^[:space:]]*$ ]] ||
                usage_error "--alerts-to $2: not a webhook URL (http://HOST/... or https://HOST/..., no spaces)"
            alerts_to=$2
            shift
            ;;
        --no-build) build=false ;;
        -c)
            [ $# -ge 2 ] || usage_error "-c needs a stack file"
            [ -f "$2" ] || usage_error "-c $2: no such file"
            stack_files+=(-c "$2")
            shift
            ;;
        -h | --help) usage; exit 0 ;;
        *) usage_error "unknown option: $1" ;;
    esac
    shift
done

# Checks first: nothing is created until every one has passed.
for tool in docker base64 head cut tr awk; do
    command -v "$tool" >/dev/null || fail "$tool is missing: install docker.io (Debian) or Docker's docker-ce;" \
        "base64, head, cut and tr are in coreutils, awk in mawk or gawk"
done
if ! engine_error=$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null); then
    fail "no Docker engine answers${DOCKER_HOST:+ at DOCKER_HOST=$DOCKER_HOST}: start it (systemctl start docker)" \
        "or point DOCKER_HOST at one ($(echo "$engine_error" | grep -v '^$' | head -n 1))"
fi
# cap_drop in a stack file needs a CLI from 20.10 (an older one ignores it and deploys the services with capabilities).
cli_version=$(docker version --format '{{.Client.Version}}')
if ! printf '%s\n' "$cli_version" | awk -F '[.+~-]' '{ exit !($1 > 20 || ($1 == 20 && $2 >= 10)) }'; then
    fail "the docker CLI is $cli_version: the stack needs 20.10 or later (cap_drop); upgrade docker.io or docker-ce-cli"
fi
engine_state=$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')
if [ "$build" = false ]; then
    [ -n "${IMAGE_TAG:-}" ] || usage_error "--no-build needs IMAGE_TAG, the tag of the tttapp image to deploy"
    docker image inspect "tttapp:$IMAGE_TAG" >/dev/null 2>&1 || fail "--no-build: no image tttapp:$IMAGE_TAG here"
fi
case "$engine_state" in
    "active true") ;;
    "active false") fail "this engine is a swarm worker: run up.sh against a manager (docker node ls there)" ;;
    "inactive "*)
        [ "$init" = true ] || fail "this engine is not in a swarm: run docker swarm init, or pass --init"
        ;;
    *) fail "this engine's swarm is not usable (state: $engine_state): see docker info" ;;
esac

secret_exists() {
    # An engine in no swarm has no secrets (and cannot be asked).
    [ "$engine_state" = "active true" ] && docker secret inspect "$1" >/dev/null 2>&1
}
# The folder of this swarm's passwords: the secrets live in the swarm, so a new swarm starts a new folder.
swarm_passwords_dir() {
    echo "$STATE_DIR/swarm-$(docker info --format '{{.Swarm.Cluster.ID}}')"
}
# A password is kept for the secret named $1 (prometheus_password holds the one both Prometheus secrets share).
kept() {
    [ -s "$passwords_dir/$1" ]
}
# Nothing says that secret $1 was made from another password than the one kept: the id up.sh recorded when it made the
# secret is its id now, or none was recorded (a run stopped between the two).
made_from_kept() {
    local recorded
    recorded=$(cat "$passwords_dir/$1.id" 2>/dev/null || true)
    [ -z "$recorded" ] || [ "$recorded" = "$(docker secret inspect --format '{{.ID}}' "$1")" ]
}

# Prometheus' password and its web configuration hold one password together: both exist, or neither, or one exists
# and the password it was made from is kept here (a run stopped between the two), so the other can be made from it.
if [ "$engine_state" = "active true" ]; then
    passwords_dir=$(swarm_passwords_dir)
    has_password=false
    has_web_config=false
    secret_exists prometheus_password && has_password=true
    secret_exists prometheus_web_config && has_web_config=true
    if [ "$has_password" != "$has_web_config" ]; then
        present=prometheus_password
        missing=prometheus_web_config
        if [ "$has_web_config" = true ]; then
            present=prometheus_web_config
            missing=prometheus_password
        fi
        if ! kept prometheus_password || ! made_from_kept "$present"; then
            fail "secret $present exists without $missing, and no password kept in $passwords_dir says what it" \
                "holds; the two hold one password together: remove it (swarm/down.sh --purge, or docker secret rm" \
                "$present) or create $missing by hand as docs/deployment.md#the-stack-by-hand shows"
        fi
    fi
fi

if [ "$init" = true ] && [ "${engine_state%% *}" = inactive ]; then
    echo "Making this engine a one-node swarm (docker swarm init)"
    docker swarm init >/dev/null || fail "docker swarm init failed (above); with several addresses, run" \
        "docker swarm init --advertise-addr ADDRESS yourself, then up.sh again"
    engine_state="active true"
    passwords_dir=$(swarm_passwords_dir)
fi

if [ "$build" = true ]; then
    read -r -a build_args <<<"${BUILD_ARGS:-}"
    echo "Building the image from $PROJECT_DIR (a minute or two the first time, seconds when only code changed)"
    docker build "${build_args[@]}" -t tttapp:up-latest "$PROJECT_DIR" >&2 || fail "docker build failed (above)"
    # The tag names the image's content: a re-run with changed code deploys a new tag, one without changes none.
    version=$(docker image inspect --format '{{index .Config.Labels "org.opencontainers.image.version"}}' \
        tttapp:up-latest)
    id=$(docker image inspect --format '{{.Id}}' tttapp:up-latest)
    id=${id#sha256:}
    IMAGE_TAG="$version-${id:0:12}"
    docker tag tttapp:up-latest "tttapp:$IMAGE_TAG"
    if [ "$(docker node ls -q | wc -l)" -gt 1 ]; then
        echo "Note: tttapp:$IMAGE_TAG exists on this node only; the other nodes need it too (push it to a" \
            "registry they use, or docker save | docker load: docs/deployment.md#several-nodes)"
    fi
fi
image="tttapp:$IMAGE_TAG"

# Secrets: a strong random password for each that does not exist yet; one that exists is never read or replaced.
# Each password is written first to a file in $passwords_dir (mode 600, in a folder of mode 700), then its secret
# made: a run stopped anywhere after that finds it there and makes the same secret.
random_password() {
    head -c 48 /dev/urandom | base64 -w 0 | tr -d '/+=' | cut -c 1-32
}
# The password kept for secret $1, made and kept first when there is none.
password_for() {
    local file=$passwords_dir/$1
    if ! kept "$1"; then
        (umask 077 && mkdir -p "$passwords_dir" && random_password >"$file.new" && mv "$file.new" "$file")
    fi
    cat "$file"
}
# Makes secret $1 from standard input and records its id beside the passwords.
create_secret() {
    local id
    id=$(docker secret create "$1" -) || fail "docker secret create $1 failed (above)"
    (umask 077 && echo "$id" >"$passwords_dir/$1.id")
    created+=("$1")
}
grafana_password=""
prometheus_password=""
if ! secret_exists grafana_admin_password; then
    grafana_password=$(password_for grafana_admin_password)
    create_secret grafana_admin_password < <(printf '%s' "$grafana_password")
fi
if ! secret_exists prometheus_password || ! secret_exists prometheus_web_config; then
    prometheus_password=$(password_for prometheus_password)
    if ! secret_exists prometheus_password; then
        create_secret prometheus_password < <(printf '%s' "$prometheus_password")
    fi
    if ! secret_exists prometheus_web_config; then
        # The bcrypt hash Prometheus checks logins against, made in the app's image: the host needs no htpasswd.
        hash=$(printf '%s' "$prometheus_password" | docker run --rm -i --network none --read-only --user 10001:10001 \
            --entrypoint java "$image" -XX:+UseSerialGC -XX:-UsePerfData -cp /app/tictactoe.jar \
            io.github.tictactoe.tools.password.PasswordHash) || fail "could not hash Prometheus' password in $image (above)"
        create_secret prometheus_web_config < <(printf 'basic_auth_users:\n  admin: %s\n' "$hash")
    fi
fi
if [ ${#created[@]} -gt 0 ]; then
    echo "Made the secrets ${created[*]}; their passwords are kept in $passwords_dir, which only you can read"
fi

# Where alerts go: the webhook URL of the newest secret alertmanager_webhook_url_<time>, which --alerts-to makes. A
# secret cannot change, so a new URL is a new secret, and Alertmanager's task rolls onto it; older ones go once it has.
# The URL is not kept in $passwords_dir: it is yours, and may carry a token.
webhook_secrets() {
    docker secret ls --format '{{.Name}}' | awk '/^alertmanager_webhook_url_[0-9]+$/' | sort
}
if [ -n "$alerts_to" ]; then
    alerts_secret=alertmanager_webhook_url_$(date -u +%Y%m%d%H%M%S)
    printf '%s' "$alerts_to" | docker secret create "$alerts_secret" - >/dev/null ||
        fail "docker secret create $alerts_secret failed (above)"
    echo "Made the secret $alerts_secret with the webhook URL given: Alertmanager sends its notifications there"
else
    alerts_secret=$(webhook_secrets | tail -n 1)
fi
if [ -n "$alerts_secret" ]; then
    stack_files+=(-c "$SWARM_DIR/alerts-to-webhook.yml")
fi

# Prometheus (with Alertmanager beside it) and Grafana keep their data in volumes local to a node: pin each to a
# labelled node, this one at first.
this_node=$(docker info --format '{{.Swarm.NodeID}}')
mapfile -t nodes < <(docker node ls -q)
for label in tictactoe.prometheus tictactoe.grafana; do
    labelled=$(docker node inspect --format "{{index .Spec.Labels \"$label\"}}" "${nodes[@]}" | grep -c '^true$' || true)
    if [ "$labelled" -eq 0 ]; then
        docker node update --label-add "$label=true" "$this_node" >/dev/null
        echo "Labelled this node $label=true"
    fi
done

# The traffic service keeps its replicas across a deploy unless --traffic starts it.
traffic_replicas=0
if docker service inspect "${STACK}_traffic" >/dev/null 2>&1; then
    traffic_replicas=$(docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "${STACK}_traffic")
fi
if [ "$traffic" = true ] && [ "$traffic_replicas" -eq 0 ]; then
    traffic_replicas=1
fi
# CLIs from 26 on wait for the services by default, without a bound; up.sh waits itself.
detach=()
if [ "$(docker stack deploy --help 2>/dev/null | grep -c -- '--detach' || true)" -gt 0 ]; then
    detach=(--detach=true)
fi
echo "Deploying stack $STACK with $image"
IMAGE_TAG=$IMAGE_TAG TRAFFIC_REPLICAS=$traffic_replicas ALERTS_TO_SECRET=$alerts_secret \
    docker stack deploy "${detach[@]}" "${stack_files[@]}" "$STACK" >/dev/null || fail "docker stack deploy failed (above)"
echo "Deployed; waiting at most $WAIT_SECONDS s for the app, the traffic, Prometheus, Alertmanager and Grafana"

# Ready: every replica the app service asks for runs the new image and passed its healthcheck, no update of any
# service is under way, the traffic runs as asked, Prometheus and Alertmanager logged that they serve (each on its
# latest task: a changed configuration or secret starts a new one), and Grafana's task passed its healthcheck (its
# /api/health answers).
# Swarm reports a task whose container has a healthcheck as Running only once the check passed.
wanted_replicas() {
    docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "$1"
}
running() {
    docker service ps --filter desired-state=running --format '{{.Image}} {{.CurrentState}}' "$1" |
        grep -cE "^${2:-[^ ]+}(@[^ ]+)? Running" || true
}
# Service $1's running task logged a line with $2 in it.
logged() {
    local task ready
    task=$(docker service ps -q --filter desired-state=running "${STACK}_$1" | head -n 1)
    [ -n "$task" ] || return 1
    # grep -c reads to the end: grep -q stops at the match, and the logs command, cut off mid-write, fails the pipe
    # (pipefail), more often the longer the log grows.
    ready=$(docker service logs --raw "$task" 2>&1 | grep -c "$2" || true)
    [ "$ready" -gt 0 ]
}
# One phrase for each service that is not ready yet, separated by "; ": nothing when all are.
not_ready() {
    local phrases=() app wanted update tasks name state services others=()
    # One inspect of every service's last update: the app's fails fast or waits, the others' must have ended too.
    local -A updates=()
    mapfile -t services < <(docker stack services -q "$STACK")
    while read -r name state; do
        updates[$name]=${state:-none}
        [ "$name" = "${STACK}_tictactoe" ] || others+=("$name")
    done < <(docker service inspect --format '{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' \
        "${services[@]}")
    wanted=$(wanted_replicas "${STACK}_tictactoe")
    app=$(running "${STACK}_tictactoe" "$image")
    update=${updates[${STACK}_tictactoe]:-none}
    case "$update" in
        rollback_* | paused)
            fail "the update to $image ended $update: docker service ps --no-trunc ${STACK}_tictactoe shows why" ;;
    esac
    if [ "$app" -ne "$wanted" ] || ! [[ "$update" =~ ^(none|completed)$ ]]; then
        phrases+=("tictactoe ($app of $wanted replicas run $image healthy, update $update)")
    fi
    tasks=$(running "${STACK}_traffic")
    [ "$tasks" -eq "$traffic_replicas" ] || phrases+=("traffic ($tasks of $traffic_replicas tasks run)")
    wanted=$(wanted_replicas "${STACK}_prometheus")
    tasks=$(running "${STACK}_prometheus")
    if [ "$tasks" -ne "$wanted" ] ||
        { [ "$wanted" -gt 0 ] && ! logged prometheus 'Server is ready to receive web requests'; }; then
        phrases+=("prometheus ($tasks of $wanted tasks run, and it has not logged that it is ready)")
    fi
    wanted=$(wanted_replicas "${STACK}_alertmanager")
    tasks=$(running "${STACK}_alertmanager")
    if [ "$tasks" -ne "$wanted" ] || { [ "$wanted" -gt 0 ] && ! logged alertmanager 'msg="Listening on"'; }; then
        phrases+=("alertmanager ($tasks of $wanted tasks run, and it has not logged that it listens)")
    fi
    wanted=$(wanted_replicas "${STACK}_grafana")
    tasks=$(running "${STACK}_grafana")
    [ "$tasks" -eq "$wanted" ] || phrases+=("grafana ($tasks of $wanted tasks run and answer /api/health)")
    # An update of any other service still under way (Swarm keeps it "updating" through its monitor period): Swarm
    # writes its end into the service, and a deploy that read the service before that write fails with "update out of
    # sequence", so the next up.sh run right after this one would.
    for name in "${others[@]}"; do
        case "${updates[$name]}" in
            none | completed | rollback_completed) ;;
            *) phrases+=("${name#"${STACK}"_} (update ${updates[$name]})") ;;
        esac
    done
    local phrase separator=""
    for phrase in "${phrases[@]}"; do
        printf '%s%s' "$separator" "$phrase"
        separator="; "
    done
}
start=$SECONDS
last_report=$SECONDS
while :; do
    # not_ready fails, saying why, when the update rolled back or paused.
    waiting=$(not_ready) || exit 1
    [ -n "$waiting" ] || break
    if [ $((SECONDS - start)) -ge "$WAIT_SECONDS" ]; then
        fail "not ready after $WAIT_SECONDS s: $waiting; docker service ps ${STACK}_<service> shows why"
    fi
    if [ $((SECONDS - last_report)) -ge 15 ]; then
        echo "Waiting ($((SECONDS - start)) s): $waiting"
        last_report=$SECONDS
    fi
    sleep 2
done
echo "Ready in $((SECONDS - start)) s after the deploy"

# Alertmanager's task now mounts the newest webhook secret: the older ones are no longer used by anything.
if [ -n "$alerts_secret" ]; then
    for secret in $(webhook_secrets); do
        if [ "$secret" != "$alerts_secret" ] && docker secret rm "$secret" >/dev/null 2>&1; then
            echo "Removed the secret $secret, which held the URL given before"
        fi
    done
fi

# Published ports are served by the routing mesh, which needs the kernel's IPVS; without it nothing listens and
# Docker says nothing, so say it here.
if ! timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/3307' 2>/dev/null; then
    echo "Note: nothing answers on localhost:3307: the routing mesh needs the kernel's IPVS (modprobe ip_vs;" \
        "docs/deployment.md#two-things-that-fail-quietly); inside the stack's network every service answers"
fi

# Where /metrics is: on the management port when the app service sets one (swarm/stack.yml does), published only by
# an opt-in stack file such as swarm/metrics-published.yml.
published_port() {
    docker service inspect --format '{{range .Endpoint.Spec.Ports}}{{.TargetPort}} {{.PublishedPort}}{{println}}{{end}}' \
        "$1" | awk -v target="$2" '$1 == target { print $2; exit }'
}
management_port=$(docker service inspect --format '{{range .Spec.TaskTemplate.ContainerSpec.Env}}{{println .}}{{end}}' \
    "${STACK}_tictactoe" | sed -n 's/^MANAGEMENT_PORT=//p')
metrics_port=$(published_port "${STACK}_tictactoe" "${management_port:-3306}")
if [ -n "$metrics_port" ]; then
    metrics="http://localhost:$metrics_port/metrics  (a replica per request; app_info says which)"
else
    metrics="port $management_port of each replica, on the stack's network only (Prometheus scrapes it there;"
    metrics+=" swarm/up.sh -c swarm/metrics-published.yml publishes it as localhost:3308)"
fi
password_of() {
    if [ -n "$2" ]; then
        echo "password $2"
    elif kept "$1" && made_from_kept "$1"; then
        echo "password in $passwords_dir/$1"
    else
        echo "password in secret $1 (set when it was created; a secret cannot be read back)"
    fi
}
echo
echo "game        http://localhost:3307/  ($(wanted_replicas "${STACK}_tictactoe") replicas of $image)"
echo "metrics     $metrics"
if [ "$traffic_replicas" -gt 0 ]; then
    echo "traffic     ${STACK}_traffic plays (docker service logs -f ${STACK}_traffic; docker service scale" \
        "${STACK}_traffic=0 stops it)"
else
    echo "traffic     off (swarm/up.sh --traffic starts it)"
fi
echo "prometheus  http://localhost:9090/  user admin  $(password_of prometheus_password "$prometheus_password")"
echo "alertmanager http://localhost:9093/  user admin  $(password_of prometheus_password "$prometheus_password")" \
    "(Prometheus' login)"
if [ -n "$alerts_secret" ]; then
    echo "alerts      posted to the webhook URL in secret $alerts_secret; swarm/up.sh --alerts-to URL changes it"
else
    echo "alerts      on Alertmanager's page only: swarm/up.sh --alerts-to URL sends them to a webhook"
fi
echo "grafana     http://localhost:3000/  user admin  $(password_of grafana_admin_password "$grafana_password")"
if [ -n "$grafana_password$prometheus_password" ]; then
    echo "The passwords are kept in $passwords_dir, which only you can read (swarm/down.sh --purge deletes it)."
fi
