#pragma once

#include <utility>
#include <vector>

#include <QByteArray>
#include <QList>

namespace tb::session {

// Delay-coordinate ("phase-space", Zalewski's strange attractors) points of a sample: (x, y) = (value of ID n,
// value of ID n+1), the values scaled so that the sample's lowest is 0 and its highest 1. A value reads the ID's
// varying character positions (static ones carry nothing) as digits of a fraction, each symbol ranked among the symbols
// seen there (byte order), so a counter draws a line, a time-based ID a narrow band and a CSPRNG an even cloud. At most
// `maxPoints` pairs, from the start of the sample; none when fewer than two IDs or all values equal.
std::vector<std::pair<double, double>> phaseSpace(const QList<QByteArray>& ids, int maxPoints = 5000);

} // namespace tb::session
