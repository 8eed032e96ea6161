// Entrega hostil: para con SIGSTOP a todo lo que puede (kill(-1, SIGSTOP): en el arenero, el
// arnés que la prueba, que tiene su mismo uid) y se queda esperando para siempre.
#include <signal.h>
#include <unistd.h>
int main() {
    kill(-1, SIGSTOP);
    for (;;) pause();
}
