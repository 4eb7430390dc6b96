// What the arbitrage bot's tests share: exact decimals from text, and running the built
// arbitrage_bot program with its output captured in files (so it is not on a terminal).
#pragma once

#include <tradewire/core/decimal.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bot_test {

inline tradewire::decimal dec(std::string_view text) {
    return tradewire::decimal::parse(text).value;
}

struct program_result {
    int status = -1;  // exit status, or 128 + signal
    std::string out, err;
};

inline std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs `exe` with `args`, standard input from /dev/null, after unsetting the variables in
// `unset` and setting those in `env` (in the child only).
inline program_result run_program(const std::string& exe, const std::vector<std::string>& args,
                                  const std::vector<std::string>& unset = {},
                                  const std::vector<std::pair<std::string, std::string>>& env = {}) {
    const std::string base = std::string(TRADEWIRE_BINARY_DIR) + "/bot_program_test." + std::to_string(getpid());
    const std::string out_path = base + ".out", err_path = base + ".err";
    const pid_t pid = fork();
    if (pid == 0) {
        const int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        const int in = open("/dev/null", O_RDONLY);
        if (out < 0 || err < 0 || in < 0) _exit(126);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        for (const std::string& name : unset) ::unsetenv(name.c_str());
        for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
        std::vector<char*> argv{const_cast<char*>(exe.c_str())};
        for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(exe.c_str(), argv.data());
        _exit(127);
    }
    program_result r;
    int ws = 0;
    if (pid > 0 && waitpid(pid, &ws, 0) == pid) r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    r.out = slurp(out_path);
    r.err = slurp(err_path);
    std::remove(out_path.c_str());
    std::remove(err_path.c_str());
    return r;
}

}  // namespace bot_test
