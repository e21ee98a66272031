#pragma once

#include <memory>

#include "Command.h"

namespace tb::cli {

// Factories, one per subcommand file.
std::unique_ptr<Command> makeDecodeCommand();
std::unique_ptr<Command> makeSignCommand();
std::unique_ptr<Command> makeVerifyCommand();
std::unique_ptr<Command> makeKeygenCommand();
std::unique_ptr<Command> makeJwkCommand();
std::unique_ptr<Command> makeSessionCommand();
std::unique_ptr<Command> makeCookieCommand();
std::unique_ptr<Command> makeSimulateCommand();
std::unique_ptr<Command> makeCrackCommand();
std::unique_ptr<Command> makeDecryptCommand();
std::unique_ptr<Command> makeEncryptCommand();
std::unique_ptr<Command> makeDiffCommand();
std::unique_ptr<Command> makeIdentifyCommand();
std::unique_ptr<Command> makeMalleateCommand();
std::unique_ptr<Command> makeLintCommand();
std::unique_ptr<Command> makeAttackCommand();

} // namespace tb::cli
