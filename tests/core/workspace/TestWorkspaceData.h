#pragma once

#include <QJsonObject>

#include "workspace/WorkspaceFile.h"

namespace tb::test {

// A workspace of a few MB whose every byte follows from `generation` (see save_loop.cpp).
inline workspace::WorkspaceData generationData(qint64 generation)
{
    workspace::WorkspaceData data;
    const int count = 1500 + int(generation % 500);
    for (int i = 0; i < count; ++i) {
        data.tokens.append("eyJhbGciOiJub25lIn0." + QByteArray::number(generation) + '.' + QByteArray::number(i) + '.' +
                           QByteArray(2000 + i % 7, char('a' + (generation + i) % 26)));
    }
    data.settings.insert(QStringLiteral("generation"), double(generation));
    data.settings.insert(QStringLiteral("tokens"), count);
    return data;
}

// Whether `data` is exactly what generationData wrote for the generation it names.
inline bool isWholeGeneration(const workspace::WorkspaceData& data)
{
    const auto generation = qint64(data.settings.value(QStringLiteral("generation")).toDouble());
    const workspace::WorkspaceData expected = generationData(generation);
    return generation > 0 && data.tokens == expected.tokens && data.settings == expected.settings;
}

} // namespace tb::test
