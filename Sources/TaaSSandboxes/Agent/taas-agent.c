/*
 * taas-agent: the process inside a sandbox that runs a run's steps on request.
 *
 * One agent serves a whole run, so setup, services and scenarios share one sandbox instance
 * (its loopback, its /tmp, the background processes of setup) and no step pays for a new sandbox.
 *
 * Protocol: fd 0 is a SOCK_SEQPACKET unix socket to the harness (or, with `--listen PATH`, the
 * first connection accepted on a SOCK_SEQPACKET socket made at PATH: how the harness reaches an
 * agent inside a container); every packet is one message of NUL-separated fields.
 *   harness -> agent
 *     RUN id timeout_ms keep cwd nenv env... nargv argv...   (+ SCM_RIGHTS: stdout fd, stderr fd)
 *     KILL id                                                 stop the step's whole process tree
 *     PROBE id kind(tcp|http) host port path                  one readiness check from inside
 *     FETCH id host port timeout_ms max_bytes length BYTES    (+ SCM_RIGHTS: response fd) one exchange
 *                                                             with host:port: writes the `length` raw
 *                                                             bytes after the last field, then copies
 *                                                             what comes back (at most max_bytes) to fd
 *     COPY id folder name max_bytes                           (+ SCM_RIGHTS: out fd) copies the regular file
 *                                                             folder/name to fd: no link followed in name,
 *                                                             a FIFO never waited on, at most max_bytes
 *   agent -> harness
 *     STARTED id pid
 *     EXIT id exit_code signal timed_out stopped              after the step's tree is gone (keep=0)
 *                                                             or its main process ended (keep=1)
 *     PROBED id ok|fail detail
 *     FETCHED id ok|truncated|fail elapsed_ms detail          after the peer closed (or the limits hit)
 *     COPIED id ok|missing|refused|too-large detail           after the copy (detail: why not, or the size)
 *     ERROR id message
 *
 * Each step runs under its own supervisor process, a child subreaper: processes that the step
 * leaves behind (double fork, setsid) are re-parented to the supervisor, never escape it, and are
 * killed with the step unless the step is kept (setup: its background processes live until the
 * sandbox ends). When the harness closes the socket, every step is stopped and the agent exits.
 *
 * Options: `--step-user UID:GID` runs each step as that user while the agent and the supervisors
 * keep theirs (in a container: root with only CAP_KILL, CAP_SETUID and CAP_SETGID, so that a step's
 * `kill -KILL -1` cannot take the agent down). `--limit-as BYTES`, `--limit-nproc N` and
 * `--limit-fsize BYTES` set RLIMIT_AS,
 * RLIMIT_NPROC and RLIMIT_FSIZE on the agent, so that every supervisor and step inherits them (the
 * jail's memory, process and file-size limits; a container has its cgroup limits instead). In a
 * sandbox with its own user namespace RLIMIT_NPROC counts only that namespace's processes.
 *
 * Written in C and linked statically so that it runs in any sandbox, whatever its libc.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <grp.h>
#include <time.h>
#include <unistd.h>

#define MAX_MESSAGE (256 * 1024)
#define MAX_FIELDS 4096
#define MAX_STEPS 8192
#define TERM_GRACE_MS 2000

static int control = 0;
/* With `--step-user UID:GID`, each step drops to this user before it starts (the agent and the
 * supervisors stay as they are, so the step cannot signal them). */
static int step_uid = -1, step_gid = -1;

static void send_message(int count, ...) {
    char buffer[8192];
    size_t length = 0;
    va_list args;
    va_start(args, count);
    for (int i = 0; i < count; i++) {
        const char *field = va_arg(args, const char *);
        size_t field_length = strlen(field);
        if (length + field_length + 1 > sizeof buffer) field_length = sizeof buffer - length - 1;
        memcpy(buffer + length, field, field_length);
        length += field_length;
        buffer[length++] = '\0';
    }
    va_end(args);
    while (send(control, buffer, length, MSG_NOSIGNAL) < 0 && errno == EINTR) {
    }
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- process trees ---- */

/* The parent pid of a process, from /proc/PID/stat, or -1. */
static pid_t parent_of(pid_t pid) {
    char path[64], text[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0) return -1;
    text[n] = '\0';
    char *close_paren = strrchr(text, ')');
    if (!close_paren) return -1;
    char state;
    int ppid;
    if (sscanf(close_paren + 1, " %c %d", &state, &ppid) != 2) return -1;
    return ppid;
}

/* Sends a signal to every descendant of this process; returns how many there were. */
static int signal_descendants(int sig) {
    static pid_t pids[65536], parents[65536];
    int count = 0;
    DIR *proc = opendir("/proc");
    if (!proc) return 0;
    struct dirent *entry;
    while ((entry = readdir(proc)) && count < 65536) {
        char *end;
        long pid = strtol(entry->d_name, &end, 10);
        if (*end != '\0' || pid <= 0) continue;
        pids[count] = (pid_t)pid;
        parents[count] = parent_of((pid_t)pid);
        count++;
    }
    closedir(proc);
    pid_t self = getpid();
    int found = 0;
    /* Mark descendants by walking parent links (the table is small; repeat until stable). */
    static char marked[65536];
    memset(marked, 0, (size_t)count);
    int changed = 1;
    while (changed) {
        changed = 0;
        for (int i = 0; i < count; i++) {
            if (marked[i]) continue;
            if (parents[i] == self) { marked[i] = 1; changed = 1; continue; }
            for (int j = 0; j < count; j++) {
                if (marked[j] && pids[j] == parents[i]) { marked[i] = 1; changed = 1; break; }
            }
        }
    }
    for (int i = 0; i < count; i++) {
        if (!marked[i]) continue;
        found++;
        kill(pids[i], sig);
    }
    return found;
}

static void reap_children(pid_t main_pid, int *main_status, int *main_done) {
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        if (pid == main_pid) {
            *main_status = status;
            *main_done = 1;
        }
    }
}

/* Stops every process of the step: SIGTERM, a grace period, then SIGKILL until none is left. */
static void kill_tree(pid_t main_pid, int *main_status, int *main_done, int grace_ms) {
    signal_descendants(SIGCONT);
    if (grace_ms > 0 && signal_descendants(SIGTERM) > 0) {
        long long deadline = now_ms() + grace_ms;
        while (now_ms() < deadline) {
            reap_children(main_pid, main_status, main_done);
            if (signal_descendants(0) == 0) break;
            usleep(10 * 1000);
        }
    }
    for (int round = 0; round < 1000; round++) {
        signal_descendants(SIGSTOP); /* freeze forkers, then kill them all at once */
        int left = signal_descendants(SIGKILL);
        reap_children(main_pid, main_status, main_done);
        if (left == 0) break;
        usleep(2 * 1000);
    }
    /* Reap whatever is still exiting. */
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, 0)) > 0) {
        if (pid == main_pid) { *main_status = status; *main_done = 1; }
    }
}

/* ---- one step, under its supervisor ---- */

static void run_supervisor(const char *id, long long timeout_ms, int keep, const char *cwd, char **env,
                           char **argv, int out_fd, int err_fd) {
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    pid_t child = fork();
    if (child < 0) {
        char message[256];
        snprintf(message, sizeof message, "cannot start the step: fork failed: %s", strerror(errno));
        send_message(3, "ERROR", id, message);
        _exit(1);
    }
    if (child == 0) {
        setsid();
        sigset_t empty;
        sigemptyset(&empty);
        sigprocmask(SIG_SETMASK, &empty, NULL);
        for (int s = 1; s < NSIG; s++) signal(s, SIG_DFL);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) { dup2(devnull, 0); if (devnull != 0) close(devnull); }
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        syscall(SYS_close_range, 3, ~0U, 0);
        if (step_uid >= 0 && (setgroups(0, NULL) != 0 || setgid((gid_t)step_gid) != 0 || setuid((uid_t)step_uid) != 0)) {
            dprintf(2, "taas: cannot drop to the step user %d:%d: %s\n", step_uid, step_gid, strerror(errno));
            _exit(126);
        }
        if (chdir(cwd) != 0) {
            dprintf(2, "taas: cannot enter the working directory %s: %s\n", cwd, strerror(errno));
            _exit(126);
        }
        execve(argv[0], argv, env);
        dprintf(2, "taas: cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(out_fd);
    close(err_fd);
    char pid_text[32];
    snprintf(pid_text, sizeof pid_text, "%d", child);
    send_message(3, "STARTED", id, pid_text);

    long long deadline = timeout_ms > 0 ? now_ms() + timeout_ms : -1;
    int main_status = 0, main_done = 0, timed_out = 0, stopped = 0;
    while (!main_done) {
        struct timespec wait = {0, 0};
        long long left = deadline < 0 ? 3600000 : deadline - now_ms();
        if (deadline >= 0 && left <= 0) {
            timed_out = 1;
            kill_tree(child, &main_status, &main_done, TERM_GRACE_MS);
            break;
        }
        wait.tv_sec = left / 1000;
        wait.tv_nsec = (left % 1000) * 1000000;
        siginfo_t info;
        int sig = sigtimedwait(&mask, &info, &wait);
        if (sig == SIGTERM) {
            stopped = 1;
            kill_tree(child, &main_status, &main_done, TERM_GRACE_MS);
            break;
        }
        reap_children(child, &main_status, &main_done);
    }
    if (!keep && !timed_out && !stopped) {
        /* What the step left behind ends with it. */
        kill_tree(child, &main_status, &main_done, 0);
    }
    char code[16] = "-1", signal_text[16] = "0";
    if (WIFEXITED(main_status)) snprintf(code, sizeof code, "%d", WEXITSTATUS(main_status));
    if (WIFSIGNALED(main_status)) snprintf(signal_text, sizeof signal_text, "%d", WTERMSIG(main_status));
    send_message(6, "EXIT", id, code, signal_text, timed_out ? "1" : "0", stopped ? "1" : "0");
    if (keep && !timed_out && !stopped) {
        /* Background processes of a kept step live until the sandbox ends or the step is killed. */
        for (;;) {
            int status;
            pid_t pid;
            while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
            }
            if (pid < 0 && errno == ECHILD) break;
            siginfo_t info;
            if (sigwaitinfo(&mask, &info) == SIGTERM) {
                kill_tree(-1, &main_status, &main_done, TERM_GRACE_MS);
                break;
            }
        }
    }
    _exit(0);
}

/* ---- readiness probes, run from inside the sandbox's network namespace ---- */

/* Connects to host:port (an IP literal or localhost) with 2 s socket timeouts; -1 with `detail` set. */
static int connect_to(const char *host, const char *port_text, char *detail, size_t detail_size) {
    struct sockaddr_storage address;
    socklen_t length;
    memset(&address, 0, sizeof address);
    int port = atoi(port_text);
    const char *literal = host;
    if (strcmp(host, "localhost") == 0) literal = "127.0.0.1";
    struct sockaddr_in *v4 = (struct sockaddr_in *)&address;
    struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&address;
    if (inet_pton(AF_INET, literal, &v4->sin_addr) == 1) {
        v4->sin_family = AF_INET;
        v4->sin_port = htons((uint16_t)port);
        length = sizeof *v4;
    } else if (inet_pton(AF_INET6, literal, &v6->sin6_addr) == 1) {
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons((uint16_t)port);
        length = sizeof *v6;
    } else {
        snprintf(detail, detail_size, "cannot resolve %s inside the sandbox (use localhost or an IP address)", host);
        return -1;
    }
    int fd = socket(address.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        snprintf(detail, detail_size, "socket: %s", strerror(errno));
        return -1;
    }
    struct timeval timeout = {2, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    if (connect(fd, (struct sockaddr *)&address, length) != 0) {
        snprintf(detail, detail_size, "connect to %s:%d: %s", host, port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int probe(const char *kind, const char *host, const char *port_text, const char *path, char *detail,
                 size_t detail_size) {
    int port = atoi(port_text);
    int fd = connect_to(host, port_text, detail, detail_size);
    if (fd < 0) return 0;
    if (strcmp(kind, "tcp") == 0) {
        close(fd);
        snprintf(detail, detail_size, "port %d accepts connections", port);
        return 1;
    }
    char request[2048];
    int request_length = snprintf(request, sizeof request,
                                  "GET %s HTTP/1.0\r\nHost: %s:%d\r\nUser-Agent: taas-agent\r\nConnection: close\r\n\r\n",
                                  path, host, port);
    if (send(fd, request, (size_t)request_length, MSG_NOSIGNAL) != request_length) {
        snprintf(detail, detail_size, "send: %s", strerror(errno));
        close(fd);
        return 0;
    }
    char response[256];
    ssize_t received = 0, n;
    while (received < (ssize_t)sizeof response - 1 &&
           (n = recv(fd, response + received, sizeof response - 1 - (size_t)received, 0)) > 0) {
        received += n;
        if (memchr(response, '\n', (size_t)received)) break;
    }
    close(fd);
    response[received > 0 ? received : 0] = '\0';
    int status = 0;
    if (sscanf(response, "HTTP/%*d.%*d %d", &status) != 1 && sscanf(response, "HTTP/%*d %d", &status) != 1) {
        snprintf(detail, detail_size, "no HTTP status line in the answer");
        return 0;
    }
    snprintf(detail, detail_size, "HTTP %d", status);
    return status >= 200 && status < 400;
}

/* ---- the agent ---- */

static pid_t supervisors[MAX_STEPS];
static char *supervisor_ids[MAX_STEPS];

static void remember(pid_t pid, const char *id) {
    for (int i = 0; i < MAX_STEPS; i++) {
        if (supervisors[i] == 0) {
            supervisors[i] = pid;
            supervisor_ids[i] = strdup(id);
            return;
        }
    }
}

static const char *id_of(pid_t pid) {
    for (int i = 0; i < MAX_STEPS; i++) {
        if (supervisors[i] == pid) return supervisor_ids[i];
    }
    return NULL;
}

static void forget(pid_t pid) {
    for (int i = 0; i < MAX_STEPS; i++) {
        if (supervisors[i] == pid) {
            supervisors[i] = 0;
            free(supervisor_ids[i]);
            supervisor_ids[i] = NULL;
        }
    }
}

static void handle_run(char **fields, int count, int *fds, int fd_count) {
    const char *id = count > 1 ? fields[1] : "?";
    if (fd_count != 2 || count < 7) {
        for (int i = 0; i < fd_count; i++) close(fds[i]);
        send_message(3, "ERROR", id, "malformed RUN message");
        return;
    }
    long long timeout_ms = atoll(fields[2]);
    int keep = atoi(fields[3]);
    const char *cwd = fields[4];
    int env_count = atoi(fields[5]);
    if (env_count < 0 || 6 + env_count >= count) {
        send_message(3, "ERROR", id, "malformed RUN message");
        close(fds[0]);
        close(fds[1]);
        return;
    }
    char **env = &fields[6];
    int argv_index = 6 + env_count;
    int argv_count = atoi(fields[argv_index]);
    if (argv_count < 1 || argv_index + 1 + argv_count > count) {
        send_message(3, "ERROR", id, "malformed RUN message");
        close(fds[0]);
        close(fds[1]);
        return;
    }
    char **argv = &fields[argv_index + 1];
    /* Terminate the env and argv lists in place: the field after each list becomes NULL. */
    char *saved_env_end = fields[6 + env_count];
    fields[6 + env_count] = NULL;
    char *saved_argv_end = fields[argv_index + 1 + argv_count];
    fields[argv_index + 1 + argv_count] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        run_supervisor(id, timeout_ms, keep, cwd, env, argv, fds[0], fds[1]);
    }
    fields[6 + env_count] = saved_env_end;
    fields[argv_index + 1 + argv_count] = saved_argv_end;
    close(fds[0]);
    close(fds[1]);
    if (pid < 0) {
        char message[256];
        snprintf(message, sizeof message, "cannot start the step: fork failed: %s", strerror(errno));
        send_message(3, "ERROR", id, message);
        return;
    }
    remember(pid, id);
}

/* ---- one HTTP exchange (or any request/response over TCP), from inside the sandbox ---- */

/* Runs in a child of the agent: sends `request`, copies the answer into `out_fd` until the peer
 * closes, `max_bytes` arrive or `timeout_ms` pass, and reports FETCHED. */
static void run_fetch(const char *id, const char *host, const char *port, long long timeout_ms, long long max_bytes,
                      const char *request, size_t request_length, int out_fd) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    sigset_t unblock;
    sigemptyset(&unblock);
    sigaddset(&unblock, SIGTERM);
    sigprocmask(SIG_UNBLOCK, &unblock, NULL); /* KILL ends an exchange at once */
    long long started = now_ms(), deadline = started + timeout_ms;
    char detail[512] = "", elapsed[32];
    const char *status = "fail";
    int fd = connect_to(host, port, detail, sizeof detail);
    if (fd >= 0) {
        size_t sent = 0;
        while (sent < request_length) {
            ssize_t n = send(fd, request + sent, request_length - sent, MSG_NOSIGNAL);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            sent += (size_t)n;
        }
        if (sent < request_length) {
            snprintf(detail, sizeof detail, "sending the request: %s", strerror(errno));
        } else {
            static char chunk[65536];
            long long received = 0;
            status = NULL;
            while (!status) {
                long long left = deadline - now_ms();
                if (left <= 0) {
                    status = "fail";
                    snprintf(detail, sizeof detail, "no complete answer within %lld ms (%lld bytes received)", timeout_ms,
                             received);
                    break;
                }
                struct pollfd waiting = {fd, POLLIN, 0};
                int ready = poll(&waiting, 1, (int)(left > 1000 ? 1000 : left));
                if (ready < 0 && errno == EINTR) continue;
                if (ready <= 0) continue;
                ssize_t n = recv(fd, chunk, sizeof chunk, 0);
                if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
                if (n < 0) {
                    status = "fail";
                    snprintf(detail, sizeof detail, "reading the answer: %s", strerror(errno));
                } else if (n == 0) {
                    status = "ok";
                } else {
                    long long keep = received + n > max_bytes ? max_bytes - received : n;
                    if (keep > 0 && write(out_fd, chunk, (size_t)keep) != keep) {
                        status = "fail";
                        snprintf(detail, sizeof detail, "keeping the answer: %s", strerror(errno));
                    }
                    received += keep;
                    if (!status && received >= max_bytes) status = "truncated";
                }
            }
        }
        close(fd);
    }
    close(out_fd);
    snprintf(elapsed, sizeof elapsed, "%lld", now_ms() - started);
    send_message(5, "FETCHED", id, status, elapsed, detail);
    _exit(0);
}

static void handle_fetch(char **fields, int count, const char *buffer, size_t length, int *fds, int fd_count) {
    const char *id = count > 1 ? fields[1] : "?";
    if (fd_count != 1 || count < 7) {
        for (int i = 0; i < fd_count; i++) close(fds[i]);
        send_message(3, "ERROR", id, "malformed FETCH message");
        return;
    }
    const char *request = fields[6] + strlen(fields[6]) + 1;
    long long request_length = atoll(fields[6]);
    if (request_length < 0 || request + request_length != buffer + length) {
        close(fds[0]);
        send_message(3, "ERROR", id, "malformed FETCH message: the request's length does not match");
        return;
    }
    pid_t pid = fork();
    if (pid == 0) {
        run_fetch(id, fields[2], fields[3], atoll(fields[4]), atoll(fields[5]), request, (size_t)request_length, fds[0]);
    }
    close(fds[0]);
    if (pid < 0) {
        send_message(3, "ERROR", id, "cannot make the request: fork failed");
        return;
    }
    remember(pid, id);
}

/* ---- copying a file the steps wrote out to the harness (the container's artifacts) ---- */

/* Opens `name` below the folder `folder_fd`, one component at a time, never following a link and
 * never waiting on a FIFO; returns the descriptor, or -1 with errno (ELOOP for a link). */
static int open_confined(int folder_fd, const char *name) {
    char path[4096];
    if (strlen(name) >= sizeof path) { errno = ENAMETOOLONG; return -1; }
    strcpy(path, name);
    int current = dup(folder_fd);
    char *rest = path;
    for (;;) {
        char *slash = strchr(rest, '/');
        if (slash) *slash = '\0';
        if (rest[0] == '\0' || strcmp(rest, ".") == 0 || strcmp(rest, "..") == 0) {
            close(current);
            errno = EINVAL;
            return -1;
        }
        int flags = O_RDONLY | O_NOFOLLOW | O_CLOEXEC | (slash ? O_DIRECTORY : O_NONBLOCK);
        int next = openat(current, rest, flags);
        int saved = errno;
        close(current);
        if (next < 0) { errno = saved; return -1; }
        if (!slash) return next;
        current = next;
        rest = slash + 1;
    }
}

static void handle_copy(char **fields, int count, int *fds, int fd_count) {
    const char *id = count > 1 ? fields[1] : "?";
    if (fd_count != 1 || count < 5) {
        for (int i = 0; i < fd_count; i++) close(fds[i]);
        send_message(3, "ERROR", id, "malformed COPY message");
        return;
    }
    int out = fds[0];
    long long max_bytes = atoll(fields[4]);
    char detail[512] = "";
    const char *status = "ok";
    int folder = open(fields[2], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int fd = folder < 0 ? -1 : open_confined(folder, fields[3]);
    int saved = errno;
    if (folder >= 0) close(folder);
    struct stat info = {0};
    if (fd < 0) {
        status = saved == ENOENT ? "missing" : "refused";
        snprintf(detail, sizeof detail, "%s", saved == ELOOP ? "a symbolic link" : strerror(saved));
    } else if (fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
        status = "refused";
        snprintf(detail, sizeof detail, "%s", S_ISFIFO(info.st_mode) ? "a FIFO, not a regular file" : "not a regular file");
    } else if (info.st_size > max_bytes) {
        status = "too-large";
        snprintf(detail, sizeof detail, "%lld bytes", (long long)info.st_size);
    } else {
        static char chunk[65536];
        long long copied = 0;
        for (;;) {
            ssize_t n = read(fd, chunk, sizeof chunk);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) {
                status = "refused";
                snprintf(detail, sizeof detail, "reading it: %s", strerror(errno));
                break;
            }
            if (n == 0) break;
            if (copied + n > max_bytes) { /* it grew while being read */
                status = "too-large";
                snprintf(detail, sizeof detail, "more than %lld bytes", max_bytes);
                break;
            }
            for (ssize_t written = 0; written < n;) {
                ssize_t w = write(out, chunk + written, (size_t)(n - written));
                if (w < 0 && errno == EINTR) continue;
                if (w <= 0) { status = "refused"; snprintf(detail, sizeof detail, "passing it on: %s", strerror(errno)); break; }
                written += w;
            }
            if (strcmp(status, "ok") != 0) break;
            copied += n;
        }
        if (strcmp(status, "ok") == 0) snprintf(detail, sizeof detail, "%lld", copied);
    }
    if (fd >= 0) close(fd);
    close(out);
    send_message(4, "COPIED", id, status, detail);
}

static void handle_kill(char **fields, int count) {
    if (count < 2) return;
    for (int i = 0; i < MAX_STEPS; i++) {
        if (supervisors[i] && supervisor_ids[i] && strcmp(supervisor_ids[i], fields[1]) == 0) {
            kill(supervisors[i], SIGTERM);
        }
    }
}

static void handle_probe(char **fields, int count) {
    if (count < 6) {
        send_message(3, "ERROR", count > 1 ? fields[1] : "?", "malformed PROBE message");
        return;
    }
    char detail[512];
    int ok = probe(fields[2], fields[3], fields[4], fields[5], detail, sizeof detail);
    send_message(4, "PROBED", fields[1], ok ? "ok" : "fail", detail);
}

static void shutdown_all(void) {
    for (int i = 0; i < MAX_STEPS; i++) {
        if (supervisors[i]) kill(supervisors[i], SIGTERM);
    }
    long long deadline = now_ms() + TERM_GRACE_MS + 1000;
    while (now_ms() < deadline) {
        pid_t pid;
        while ((pid = waitpid(-1, NULL, WNOHANG)) > 0) forget(pid);
        if (pid < 0 && errno == ECHILD) return;
        usleep(10 * 1000);
    }
    signal_descendants(SIGKILL);
    while (waitpid(-1, NULL, 0) > 0) {
    }
}

/* Makes a listening socket at `path` and waits for the harness to connect; returns the connection. */
static int accept_harness(const char *path) {
    int listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    struct sockaddr_un address;
    memset(&address, 0, sizeof address);
    address.sun_family = AF_UNIX;
    if (listener < 0 || strlen(path) >= sizeof address.sun_path) {
        fprintf(stderr, "taas-agent: cannot listen at %s\n", path);
        exit(2);
    }
    strcpy(address.sun_path, path);
    unlink(path);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(listener, 1) != 0) {
        fprintf(stderr, "taas-agent: cannot listen at %s: %s\n", path, strerror(errno));
        exit(2);
    }
    int connection;
    while ((connection = accept4(listener, NULL, NULL, SOCK_CLOEXEC)) < 0 && errno == EINTR) {
    }
    if (connection < 0) {
        fprintf(stderr, "taas-agent: accept: %s\n", strerror(errno));
        exit(2);
    }
    close(listener);
    unlink(path);
    return connection;
}

/* Sets one resource limit (soft and hard) from an option's value; exits on a malformed value. */
static void limit_resource(int resource, const char *option, const char *value) {
    char *end;
    unsigned long long amount = strtoull(value, &end, 10);
    if (*value == '\0' || *end != '\0' || amount == 0) {
        fprintf(stderr, "taas-agent: %s needs a positive whole number, not '%s'\n", option, value);
        exit(2);
    }
    struct rlimit limit = {(rlim_t)amount, (rlim_t)amount};
    if (setrlimit(resource, &limit) != 0) {
        fprintf(stderr, "taas-agent: cannot set %s to %s: %s\n", option, value, strerror(errno));
        exit(2);
    }
}

int main(int argc, char **argv) {
    const char *listen_path = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--listen") == 0) listen_path = argv[i + 1];
        else if (strcmp(argv[i], "--limit-as") == 0) limit_resource(RLIMIT_AS, argv[i], argv[i + 1]);
        else if (strcmp(argv[i], "--limit-nproc") == 0) limit_resource(RLIMIT_NPROC, argv[i], argv[i + 1]);
        else if (strcmp(argv[i], "--limit-fsize") == 0) limit_resource(RLIMIT_FSIZE, argv[i], argv[i + 1]);
        else if (strcmp(argv[i], "--step-user") == 0) {
            if (sscanf(argv[i + 1], "%d:%d", &step_uid, &step_gid) != 2 || step_uid < 0 || step_gid < 0) {
                fprintf(stderr, "taas-agent: --step-user needs UID:GID, not '%s'\n", argv[i + 1]);
                exit(2);
            }
        }
        else {
            fprintf(stderr, "taas-agent: unknown option %s\n", argv[i]);
            exit(2);
        }
    }
    if (listen_path) control = accept_harness(listen_path);
    prctl(PR_SET_DUMPABLE, 0);        /* steps may not ptrace or read the agent's memory */
    prctl(PR_SET_CHILD_SUBREAPER, 1); /* when not PID 1 (the unsafe local mode) */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    fcntl(control, F_SETFD, FD_CLOEXEC);
    struct rlimit core = {0, 0};
    setrlimit(RLIMIT_CORE, &core);

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGCHLD);
    sigaddset(&mask, SIGPIPE);
    int signals = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
    /* SIGTERM is blocked too, so that a supervisor inherits it blocked from its first instruction:
     * a KILL that arrives right after a RUN then stops the step instead of killing the supervisor
     * before it could report. The agent itself is stopped by closing its socket. */
    sigaddset(&mask, SIGTERM);
    sigprocmask(SIG_BLOCK, &mask, NULL);

    static char buffer[MAX_MESSAGE + 1];
    static char *fields[MAX_FIELDS];
    send_message(1, "READY");
    for (;;) {
        struct pollfd polls[2] = {{control, POLLIN, 0}, {signals, POLLIN, 0}};
        if (poll(polls, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (polls[1].revents & POLLIN) {
            struct signalfd_siginfo info;
            while (read(signals, &info, sizeof info) > 0) {
            }
            pid_t pid;
            int status;
            while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
                /* A supervisor reports its step itself; one that was killed could not have. */
                const char *id = id_of(pid);
                if (id && WIFSIGNALED(status)) {
                    char signal_text[16];
                    snprintf(signal_text, sizeof signal_text, "%d", WTERMSIG(status));
                    send_message(6, "EXIT", id, "-1", signal_text, "0", "1");
                }
                forget(pid);
            }
        }
        if (!(polls[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        char control_buffer[CMSG_SPACE(sizeof(int) * 4)];
        struct iovec iov = {buffer, MAX_MESSAGE};
        struct msghdr message = {0};
        message.msg_iov = &iov;
        message.msg_iovlen = 1;
        message.msg_control = control_buffer;
        message.msg_controllen = sizeof control_buffer;
        ssize_t length = recvmsg(control, &message, MSG_CMSG_CLOEXEC);
        if (length < 0 && errno == EINTR) continue;
        if (length <= 0) break; /* the harness is gone: stop everything */
        int fds[4], fd_count = 0;
        for (struct cmsghdr *header = CMSG_FIRSTHDR(&message); header; header = CMSG_NXTHDR(&message, header)) {
            if (header->cmsg_level == SOL_SOCKET && header->cmsg_type == SCM_RIGHTS) {
                int n = (int)((header->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                for (int i = 0; i < n && fd_count < 4; i++) memcpy(&fds[fd_count++], CMSG_DATA(header) + i * sizeof(int), sizeof(int));
            }
        }
        buffer[length] = '\0';
        int count = 0;
        for (char *field = buffer; field < buffer + length && count < MAX_FIELDS - 1; field += strlen(field) + 1) {
            fields[count++] = field;
        }
        fields[count] = NULL;
        if (count == 0) continue;
        if (strcmp(fields[0], "RUN") == 0) {
            handle_run(fields, count, fds, fd_count);
        } else if (strcmp(fields[0], "FETCH") == 0) {
            handle_fetch(fields, count, buffer, (size_t)length, fds, fd_count);
        } else if (strcmp(fields[0], "COPY") == 0) {
            handle_copy(fields, count, fds, fd_count);
        } else {
            for (int i = 0; i < fd_count; i++) close(fds[i]);
            if (strcmp(fields[0], "KILL") == 0) handle_kill(fields, count);
            else if (strcmp(fields[0], "PROBE") == 0) handle_probe(fields, count);
            else send_message(3, "ERROR", count > 1 ? fields[1] : "?", "unknown request");
        }
    }
    shutdown_all();
    return 0;
}
