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
// The same 20 characters written to `out` without allocating; returns 20, or 0 outside years 1..9999.
qsizetype utcChars(double epoch, char (&out)[20]);

} // namespace tb::bytes
