// Everything tradewire offers, in one include. Code that only parses frames or decodes
// venue messages should include a layer umbrella (tradewire/ws.hpp, ...) or single
// headers instead, which keeps Asio out of the translation unit and compiles faster.
#pragma once

#include <tradewire/core.hpp>
