/* docker-compose model: the services of a compose file with what rules look at — image (parsed
 * like a Dockerfile's base image), build, privileged, ports, environment (map or list form),
 * volumes (short and long syntax), user, cap_add, network_mode — each with line and column.
 * Strings are copied into the unit's arena. */
#ifndef OPSBOOK_COMPOSE_H
#define OPSBOOK_COMPOSE_H

#include "docker.h"
#include "model.h"

/* An environment entry. value is NULL for a pass-through (`- NAME` or `NAME:` with no value). */
struct compose_env {
    const char *name, *value;
    struct loc loc;       /* the entry (map key or list item) */
    struct loc value_loc; /* where the value starts on its line */
    int value_len;        /* bytes of the value on that line (for masking) */
};

struct compose_port {
    const char *raw;       /* as written: "8080:80", "127.0.0.1:5432:5432/tcp", or long form */
    const char *host_ip;   /* NULL when not given */
    const char *published; /* host port(s), NULL when not published */
    const char *target;    /* container port(s) */
    struct loc loc;
};

struct compose_volume {
    const char *type;   /* "bind", "volume", "tmpfs", "npipe" ("volume" for a name) */
    const char *source; /* host path or volume name, NULL for an anonymous volume */
    const char *target;
    int read_only;
    struct loc loc;
};

struct compose_service {
    const char *name;
    struct loc loc;        /* the service key */
    const char *image_raw; /* NULL when no image: */
    struct docker_image image;
    struct loc image_loc;
    int has_build;
    const char *build_context; /* "." when build: is given without a context */
    const char *build_dockerfile;
    struct loc build_loc;
    int privileged; /* -1 not set, 0 false, 1 true */
    struct loc privileged_loc;
    struct compose_port *ports;
    size_t nports;
    struct compose_env *env;
    size_t nenv;
    struct compose_volume *volumes;
    size_t nvolumes;
    const char *user;
    struct loc user_loc;
    const char **cap_add; /* NULL-terminated */
    struct loc *cap_add_locs;
    size_t ncap_add;
    const char *network_mode;
    struct loc network_mode_loc;
};

struct compose_file {
    const char *path;
    struct compose_service *services;
    size_t nservices;
};

/* Builds the compose model of a parsed YAML file and appends it to u->compose. A document
 * that is not a compose file (no services: map) adds an empty compose_file. */
void compose_load(struct unit *u, const struct yfile *yf);

/* Expands compose interpolation in `s`: $$ is '$', ${NAME:-default} and ${NAME-default}
 * give the default; any other variable is unknown and the result is NULL. */
const char *compose_interpolate(struct arena *a, const char *s);

#endif
