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

} // namespace

QJsonObject sarifLog(const QList<Finding>& findings, const QString& toolVersion, const QString& artifact)
{
    QJsonArray rules;
    const auto& all = lintRules();
    for (const auto& r : all) {
        rules.append(QJsonObject{
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
        });
    }
    QJsonArray results;
    for (const auto& f : findings) {
        qsizetype index = 0;
        while (index < all.size() && all[index].id != f.id) {
            ++index;
        }
        QJsonObject result{
            {QStringLiteral("ruleId"), f.id},
            {QStringLiteral("ruleIndex"), int(index)},
            {QStringLiteral("level"), sarifLevel(f.severity)},
            {QStringLiteral("message"), QJsonObject{{QStringLiteral("text"), f.message}}},
            {QStringLiteral("properties"), QJsonObject{{QStringLiteral("severity"), severityName(f.severity)},
                                                       {QStringLiteral("reference"), f.reference}}}};
        if (!artifact.isEmpty()) {
            result.insert(QStringLiteral("locations"),
                          QJsonArray{QJsonObject{{QStringLiteral("physicalLocation"),
                                                  QJsonObject{{QStringLiteral("artifactLocation"),
                                                               QJsonObject{{QStringLiteral("uri"), artifact}}}}}}});
        }
        results.append(result);
    }
    const QJsonObject driver{
        {QStringLiteral("name"), QStringLiteral("tokenbench")},
        {QStringLiteral("version"), toolVersion},
        {QStringLiteral("semanticVersion"), toolVersion},
        {QStringLiteral("informationUri"), QStringLiteral("https://github.com/tokenbench/tokenbench")},
        {QStringLiteral("rules"), rules}};
    const QJsonObject run{{QStringLiteral("tool"), QJsonObject{{QStringLiteral("driver"), driver}}},
                          {QStringLiteral("results"), results},
                          {QStringLiteral("columnKind"), QStringLiteral("utf16CodeUnits")}};
    return QJsonObject{
        {QStringLiteral("version"), QStringLiteral("2.1.0")},
        {QStringLiteral("$schema"), QStringLiteral("https://json.schemastore.org/sarif-2.1.0.json")},
        {QStringLiteral("runs"), QJsonArray{run}},
    };
}

} // namespace tb::audit
