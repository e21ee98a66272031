#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace tb::bytes {

// ASCII whitespace as the CLI contract defines it: space, tab, CR, LF.
bool isTrimSpace(char c);
QByteArrayView trimmed(QByteArrayView text);
QString toHex(QByteArrayView bytes);
// Formats an epoch (seconds, may be fractional) as YYYY-MM-DDTHH:MM:SSZ, truncated to seconds.
QString utcString(double epoch); // empty when outside years 1..9999

} // namespace tb::bytes
