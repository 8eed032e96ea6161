// Entrega hostil: intenta leer lo que no es suyo (otra entrega, /etc/passwd, el hogar del
// profesor, los veredictos) y escribir fuera de su carpeta; lo que encuentra lo imprime por la
// salida de errores, que acaba en el informe.
#include <dirent.h>
#include <fcntl.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <signal.h>
#include <unistd.h>
#include <cstdio>
#include <string>
static void mostrar(const char* ruta) {
    int fd = open(ruta, O_RDONLY);
    if (fd < 0) return;
    char b[4096];
    ssize_t n = read(fd, b, sizeof b);
    if (n > 0) { dprintf(2, "LEIDO %s:\n", ruta); if (write(2, b, static_cast<size_t>(n)) < 0) {} }
    close(fd);
}
static void listar(const char* ruta) {
    DIR* d = opendir(ruta);
    if (!d) return;
    while (dirent* e = readdir(d)) dprintf(2, "VISTO %s/%s\n", ruta, e->d_name);
    closedir(d);
}
int main() {
    const char* leer[] = {"/etc/passwd", "/etc/shadow", "/root/.bash_history", "../../honrada/01_socket/servidor.cpp",
                          "/proc/1/environ", "/corrector/lista.tsv", "/proc/self/mountinfo"};
    for (const char* r : leer) mostrar(r);
    const char* dirs[] = {"/", "/home", "/root", "/work", "/corrector", "/corrector/veredictos", "/proc", "..", "/entrega"};
    for (const char* r : dirs) listar(r);
    const char* escribir[] = {"/tmp/../hostil-fisgon", "/entrega/programas/01_socket/servidor", "/usr/hostil-fisgon",
                              "/corrector/veredictos/hostil", "/work/hostil-fisgon", "/root/hostil-fisgon"};
    for (const char* r : escribir) {
        int fd = open(r, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) { dprintf(2, "ESCRITO %s\n", r); close(fd); }
    }
    // Trazar: a un hijo propio (si se puede, también a los demás procesos de su uid, como una
    // prueba en el instante en que arranca) y a todo lo que encuentre; leer su memoria.
    pid_t hijo = fork();
    if (hijo == 0) { pause(); _exit(0); }
    if (ptrace(PTRACE_ATTACH, hijo, nullptr, nullptr) == 0) dprintf(2, "TRAZADO %d (su propio hijo)\n", hijo);
    char dato = 0;
    iovec local{&dato, 1}, remoto{&dato, 1};
    if (process_vm_readv(hijo, &local, 1, &remoto, 1, 0) == 1) dprintf(2, "TRAZADO %d (leída su memoria)\n", hijo);
    kill(hijo, SIGKILL);
    for (pid_t p = 1; p < 400; ++p)
        if (p != getpid() && ptrace(PTRACE_ATTACH, p, nullptr, nullptr) == 0) dprintf(2, "TRAZADO %d\n", p);
    for (pid_t p = 1; p < 400; ++p) {
        std::string r = "/proc/" + std::to_string(p) + "/fd/3";
        int fd = open(r.c_str(), O_WRONLY);
        if (fd >= 0) dprintf(2, "ABIERTO %s\n", r.c_str());
    }
    return 0;
}
