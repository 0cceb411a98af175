#!/usr/bin/env bash
# From a Docker engine to the running stack in one command: checks, builds the image from the working tree, creates
# the secrets (random passwords) and node labels that do not exist yet, deploys stack "tictactoe", waits until the app
# and Prometheus are up, and prints where everything is. Run again, it rolls the app to the working tree's code and
# keeps every secret, label and volume. docs/deployment.md explains each step and the manual commands.
set -euo pipefail

STACK=tictactoe
SWARM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROJECT_DIR=$(dirname "$SWARM_DIR")
# The first deploy pulls the images and the app starts three JVMs; an update rolls one replica every ~20 s.
WAIT_SECONDS=${UP_WAIT_SECONDS:-300}

usage() {
    cat <<EOF
Usage: swarm/up.sh [--init] [--traffic] [--no-build] [-c FILE]...

  --init       make this engine a one-node swarm first, if it is in none (docker swarm init)
  --traffic    start the traffic service: simulated players, TRAFFIC_GAMES_PER_SECOND in swarm/stack.yml
               (stop it with: docker service scale ${STACK}_traffic=0)
  --no-build   deploy tttapp:\$IMAGE_TAG, an image you built, instead of building the working tree
  -c FILE      one more stack file after swarm/stack.yml (repeatable), as docker stack deploy -c takes it
  -h, --help   this text

Environment: IMAGE_TAG (with --no-build), BUILD_ARGS (more docker build arguments, split at spaces, such as
"--build-arg BUILD_IMAGE=registry.example/maven:3.9.16-eclipse-temurin-25-noble"), UP_WAIT_SECONDS (default 300).
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

init=false
traffic=false
build=true
stack_files=(-c "$SWARM_DIR/stack.yml")
while [ $# -gt 0 ]; do
    case "$1" in
        --init) init=true ;;
        --traffic) traffic=true ;;
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
for tool in docker base64 head cut tr; do
    command -v "$tool" >/dev/null || fail "$tool is missing: install docker.io (Debian) or Docker's docker-ce;" \
        "base64, head, cut and tr are in coreutils"
done
if ! engine_error=$(docker version --format '{{.Server.Version}}' 2>&1 >/dev/null); then
    fail "no Docker engine answers${DOCKER_HOST:+ at DOCKER_HOST=$DOCKER_HOST}: start it (systemctl start docker)" \
        "or point DOCKER_HOST at one ($(echo "$engine_error" | grep -v '^$' | head -n 1))"
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
# Prometheus' password and its web configuration hold one password together: both exist or neither.
if secret_exists prometheus_password && ! secret_exists prometheus_web_config ||
    ! secret_exists prometheus_password && secret_exists prometheus_web_config; then
    fail "only one of the secrets prometheus_password and prometheus_web_config exists; they hold one password" \
        "together: remove it (swarm/down.sh --purge) or create the other as docs/deployment.md shows"
fi

if [ "$init" = true ] && [ "${engine_state%% *}" = inactive ]; then
    echo "Making this engine a one-node swarm (docker swarm init)"
    docker swarm init >/dev/null || fail "docker swarm init failed (above); with several addresses, run" \
        "docker swarm init --advertise-addr ADDRESS yourself, then up.sh again"
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
random_password() {
    head -c 48 /dev/urandom | base64 -w 0 | tr -d '/+=' | cut -c 1-32
}
create_secret() {
    docker secret create "$1" - >/dev/null || fail "docker secret create $1 failed (above)"
}
grafana_password=""
prometheus_password=""
if ! docker secret inspect grafana_admin_password >/dev/null 2>&1; then
    grafana_password=$(random_password)
    printf '%s' "$grafana_password" | create_secret grafana_admin_password
fi
if ! docker secret inspect prometheus_password >/dev/null 2>&1; then
    prometheus_password=$(random_password)
    # The bcrypt hash Prometheus checks logins against, made in the app's image: the host needs no htpasswd.
    hash=$(printf '%s' "$prometheus_password" | docker run --rm -i --network none --read-only --user 10001:10001 \
        --entrypoint java "$image" -XX:+UseSerialGC -XX:-UsePerfData -cp /app/tictactoe.jar \
        io.github.tictactoe.setup.PasswordHash) || fail "could not hash Prometheus' password in $image (above)"
    printf 'basic_auth_users:\n  admin: %s\n' "$hash" | create_secret prometheus_web_config
    printf '%s' "$prometheus_password" | create_secret prometheus_password
fi

# Prometheus and Grafana keep their data in volumes local to a node: pin each to a labelled node, this one at first.
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
if docker stack deploy --help 2>/dev/null | grep -q -- '--detach'; then
    detach=(--detach=true)
fi
echo "Deploying stack $STACK with $image"
IMAGE_TAG=$IMAGE_TAG TRAFFIC_REPLICAS=$traffic_replicas \
    docker stack deploy "${detach[@]}" "${stack_files[@]}" "$STACK" >/dev/null || fail "docker stack deploy failed (above)"

# Ready: every replica the app service asks for runs the new image and passed its healthcheck, no update is under
# way, the traffic runs as asked, and Prometheus logged that it serves.
running_on_image() {
    docker service ps --filter desired-state=running --format '{{.Image}} {{.CurrentState}}' "$1" |
        grep -cE "^$image(@[^ ]+)? Running" || true
}
app_state() {
    local wanted update
    wanted=$(docker service inspect --format '{{.Spec.Mode.Replicated.Replicas}}' "${STACK}_tictactoe")
    update=$(docker service inspect --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' "${STACK}_tictactoe")
    echo "$(running_on_image "${STACK}_tictactoe") $wanted ${update:-none} $(running_on_image "${STACK}_traffic")"
}
prometheus_ready() {
    local task
    task=$(docker service ps -q --filter desired-state=running "${STACK}_prometheus" | head -n 1)
    [ -n "$task" ] && docker service logs --raw "$task" 2>&1 | grep -q 'Server is ready to receive web requests'
}
start=$SECONDS
last_report=$SECONDS
while :; do
    read -r running wanted update traffic_running <<<"$(app_state)"
    case "$update" in
        rollback_* | paused)
            fail "the update to $image ended $update: docker service ps --no-trunc ${STACK}_tictactoe shows why" ;;
    esac
    if [ "$running" -eq "$wanted" ] && [[ "$update" =~ ^(none|completed)$ ]] &&
        [ "$traffic_running" -eq "$traffic_replicas" ] && prometheus_ready; then
        break
    fi
    if [ $((SECONDS - start)) -ge "$WAIT_SECONDS" ]; then
        fail "not ready after $WAIT_SECONDS s: $running of $wanted replicas run $image healthy, update $update," \
            "$traffic_running of $traffic_replicas traffic tasks run; docker service ps ${STACK}_tictactoe" \
            "${STACK}_traffic ${STACK}_prometheus shows why"
    fi
    if [ $((SECONDS - last_report)) -ge 15 ]; then
        echo "Waiting: $running of $wanted replicas healthy on $image, update $update ($((SECONDS - start)) s)"
        last_report=$SECONDS
    fi
    sleep 2
done
echo "Ready in $((SECONDS - start)) s after the deploy"

# Published ports are served by the routing mesh, which needs the kernel's IPVS; without it nothing listens and
# Docker says nothing, so say it here.
if ! timeout 3 bash -c 'exec 3<>/dev/tcp/127.0.0.1/3307' 2>/dev/null; then
    echo "Note: nothing answers on localhost:3307: the routing mesh needs the kernel's IPVS (modprobe ip_vs;" \
        "docs/deployment.md#two-things-that-fail-quietly); inside the stack's network every service answers"
fi

password_of() {
    if [ -n "$1" ]; then
        echo "password $1"
    else
        echo "password in secret $2 (set when it was created; a secret cannot be read back)"
    fi
}
echo
echo "game        http://localhost:3307/  ($wanted replicas of $image)"
echo "metrics     http://localhost:3307/metrics"
if [ "$traffic_replicas" -gt 0 ]; then
    echo "traffic     ${STACK}_traffic plays (docker service logs -f ${STACK}_traffic; docker service scale" \
        "${STACK}_traffic=0 stops it)"
else
    echo "traffic     off (swarm/up.sh --traffic starts it)"
fi
echo "prometheus  http://localhost:9090/  user admin  $(password_of "$prometheus_password" prometheus_password)"
echo "grafana     http://localhost:3000/  user admin  $(password_of "$grafana_password" grafana_admin_password)"
if [ -n "$grafana_password$prometheus_password" ]; then
    echo "Keep the passwords above: they are stored only in Swarm secrets, which cannot be read back."
fi
