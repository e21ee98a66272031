#include "Sarif.h"

#include <QJsonArray>

namespace tb::audit {

namespace {

QString sarifLevel(Severity s)
{
    switch (s) {
    case Severity::Critical:
    case Severity::High:
        return QStringLiteral("error");
    case Severity::Medium:
        return QStringLiteral("warning");
    case Severity::Low:
    case Severity::Info:
        break;
    }
    return QStringLiteral("note");
}

// GitHub code scanning reads this property (0.1 .. 10) to rank security results.
QString securitySeverity(Severity s)
{
    switch (s) {
    case Severity::Critical:
        return QStringLiteral("9.5");
    case Severity::High:
        return QStringLiteral("8.0");
    case Severity::Medium:
        return QStringLiteral("5.5");
    case Severity::Low:
        return QStringLiteral("3.0");
    case Severity::Info:
        break;
    }
    return QStringLiteral("0.5");
}

QJsonObject sarifLocation(const FindingLocation& where, const SarifArtifact& artifact)
{
    QJsonObject region{{QStringLiteral("byteOffset"), double(artifact.offset + where.tokenOffset)},
                       {QStringLiteral("byteLength"), double(where.tokenLength)}};
    if (!artifact.contents.isEmpty()) {
        const QByteArray text = artifact.contents.mid(artifact.offset + where.tokenOffset, where.tokenLength);
        region.insert(QStringLiteral("snippet"), QJsonObject{{QStringLiteral("text"), QString::fromLatin1(text)}});
    }
    const bool member = !where.pointer.isEmpty();
    const QString name = member ? where.pointer.section(QLatin1Char('/'), -1) : where.segment;
    const QString kind = member ? QStringLiteral("property")
                         : where.segment == QStringLiteral("header") || where.segment == QStringLiteral("payload")
                             ? QStringLiteral("object")
                             : QStringLiteral("value");
    QJsonObject properties{{QStringLiteral("segment"), where.segment}};
    if (member) {
        properties.insert(QStringLiteral("jsonPointer"), where.pointer);
        properties.insert(QStringLiteral("jsonByteOffset"), double(where.jsonOffset));
        properties.insert(QStringLiteral("jsonByteLength"), double(where.jsonLength));
    }
    return QJsonObject{{QStringLiteral("physicalLocation"),
                        QJsonObject{{QStringLiteral("artifactLocation"),
                                     QJsonObject{{QStringLiteral("uri"), artifact.uri}, {QStringLiteral("index"), 0}}},
                                    {QStringLiteral("region"), region}}},
                       {QStringLiteral("logicalLocations"),
                        QJsonArray{QJsonObject{{QStringLiteral("name"), name},
                                               {QStringLiteral("fullyQualifiedName"), where.segment + where.pointer},
                                               {QStringLiteral("kind"), kind}}}},
                       {QStringLiteral("properties"), properties}};
}

QJsonArray sarifRules()
{
    QJsonArray rules;
    for (const auto& r : lintRules()) {
        QJsonObject rule{
            {QStringLiteral("id"), r.id},
            {QStringLiteral("name"), r.id},
            {QStringLiteral("shortDescription"), QJsonObject{{QStringLiteral("text"), r.title}}},
            {QStringLiteral("fullDescription"),
             QJsonObject{{QStringLiteral("text"), QStringLiteral("%1 (%2).").arg(r.title, r.reference)}}},
            {QStringLiteral("defaultConfiguration"), QJsonObject{{QStringLiteral("level"), sarifLevel(r.severity)}}},
            {QStringLiteral("properties"),
             QJsonObject{{QStringLiteral("severity"), severityName(r.severity)},
                         {QStringLiteral("reference"), r.reference},
                         {QStringLiteral("security-severity"), securitySeverity(r.severity)},
                         {QStringLiteral("tags"), QJsonArray{QStringLiteral("security"), QStringLiteral("jwt")}}}},
        };
        const QString url = referenceUrl(r.reference);
        if (!url.isEmpty()) {
            rule.insert(QStringLiteral("helpUri"), url);
        }
        rules.append(rule);
    }
    return rules;
}

} // namespace

QJsonObject sarifLog(const QList<Finding>& findings, const QString& toolVersion, const SarifArtifact& artifact)
{
    const auto& all = lintRules();
    QJsonArray results;
    for (const auto& f : findings) {
        qsizetype index = 0;
        while (index < all.size() && all[index].id != f.id) {
            ++index;
        }
        QJsonArray locations;
        for (const FindingLocation& where : f.locations) {
            locations.append(sarifLocation(where, artifact));
        }
        results.append(QJsonObject{
            {QStringLiteral("ruleId"), f.id},
            {QStringLiteral("ruleIndex"), int(index)},
            {QStringLiteral("level"), sarifLevel(f.severity)},
            {QStringLiteral("message"), QJsonObject{{QStringLiteral("text"), f.message}}},
            {QStringLiteral("locations"), locations},
            {QStringLiteral("properties"), QJsonObject{{QStringLiteral("severity"), severityName(f.severity)},
                                                       {QStringLiteral("reference"), f.reference}}}});
    }
    QJsonObject file{{QStringLiteral("location"), QJsonObject{{QStringLiteral("uri"), artifact.uri}}},
                     {QStringLiteral("roles"), QJsonArray{QStringLiteral("analysisTarget")}}};
    if (artifact.length >= 0) {
        file.insert(QStringLiteral("length"), double(artifact.length));
    }
    if (!artifact.contents.isEmpty()) {
        file.insert(QStringLiteral("contents"),
                    QJsonObject{{QStringLiteral("text"), QString::fromLatin1(artifact.contents)}});
    }
    const QJsonArray rules = sarifRules();
    const QJsonObject driver{
        {QStringLiteral("name"), QStringLiteral("tokenbench")},
        {QStringLiteral("version"), toolVersion},
        {QStringLiteral("semanticVersion"), toolVersion},
        {QStringLiteral("informationUri"), QStringLiteral("https://github.com/tokenbench/tokenbench")},
        {QStringLiteral("rules"), rules}};
    const QJsonObject run{{QStringLiteral("tool"), QJsonObject{{QStringLiteral("driver"), driver}}},
                          {QStringLiteral("artifacts"), QJsonArray{file}},
                          {QStringLiteral("results"), results},
                          {QStringLiteral("columnKind"), QStringLiteral("utf16CodeUnits")}};
    return QJsonObject{
        {QStringLiteral("version"), QStringLiteral("2.1.0")},
        {QStringLiteral("$schema"), QStringLiteral("https://json.schemastore.org/sarif-2.1.0.json")},
        {QStringLiteral("runs"), QJsonArray{run}},
    };
}

} // namespace tb::audit
