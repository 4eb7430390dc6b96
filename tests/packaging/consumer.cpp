// A minimal program that uses tradewire the way a downstream project does.
#include <tradewire/tradewire.hpp>

#include <cstdio>

int main() {
    const tradewire::const_bytes bytes = tradewire::as_bytes("tradewire");
    std::printf("tradewire consumer linked; %zu bytes viewed\n", bytes.size());
    return bytes.size() == 9 ? 0 : 1;
}
