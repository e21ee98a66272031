#include "IdentityBanner.h"

#include <QLabel>
#include <QVBoxLayout>

#include "support/Theme.h"

namespace tb::ui {

namespace {

QLabel* bannerLabel(const char* name, QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setObjectName(QLatin1String(name));
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setTextFormat(Qt::PlainText);
    return label;
}

} // namespace

IdentityBanner::IdentityBanner(QWidget* parent)
    : QFrame(parent)
{
    setObjectName(QStringLiteral("identifyBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("What this input is"));
    m_title = bannerLabel("identifyTitle", this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_reason = bannerLabel("identifyReason", this);
    m_can = bannerLabel("identifyCan", this);
    m_cannot = bannerLabel("identifyCannot", this);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_reason);
    layout->addWidget(m_can);
    layout->addWidget(m_cannot);
    clear();
}

IdentityBanner::~IdentityBanner() = default;

QString IdentityBanner::title(const QString& kind)
{
    static const QHash<QString, QString> titles{
        {QStringLiteral("jws"), tr("JWS: a signed JWT")},
        {QStringLiteral("jws-json"), tr("JWS in JSON serialisation")},
        {QStringLiteral("jwe"), tr("JWE: an encrypted token")},
        {QStringLiteral("unsecured-jwt"), tr("Unsecured JWT (alg none)")},
        {QStringLiteral("itsdangerous"), tr("Flask / itsdangerous signed value")},
        {QStringLiteral("django-signed"), tr("Django signed value")},
        {QStringLiteral("paseto"), tr("PASETO token")},
        {QStringLiteral("fernet"), tr("Fernet token")},
        {QStringLiteral("branca"), tr("Branca token")},
        {QStringLiteral("macaroon"), tr("Macaroon")},
        {QStringLiteral("saml"), tr("SAML message")},
        {QStringLiteral("opaque"), tr("Opaque token")},
        {QStringLiteral("unknown"), tr("Not recognised")},
    };
    return titles.value(kind, kind);
}

void IdentityBanner::showIdentification(const inspect::Identification& id)
{
    m_kind = id.kind;
    m_title->setText(title(id.kind));
    m_reason->setText(id.reason);
    m_can->setText(id.can.isEmpty() ? QString() : tr("tokenbench can: %1").arg(id.can.join(QLatin1Char(' '))));
    m_cannot->setText(id.cannot.isEmpty() ? QString()
                                          : tr("tokenbench cannot: %1").arg(id.cannot.join(QLatin1Char(' '))));
    m_can->setVisible(!id.can.isEmpty());
    m_cannot->setVisible(!id.cannot.isEmpty());
    const bool jose = id.kind == QStringLiteral("jws") || id.kind == QStringLiteral("jwe");
    QPalette p = m_title->palette();
    p.setColor(QPalette::WindowText, jose ? theme::okColor(palette())
                                          : (id.kind == QStringLiteral("unknown") ? theme::failColor(palette())
                                                                                  : theme::warnColor(palette())));
    m_title->setPalette(p);
    setToolTip(id.reason);
    show();
}

void IdentityBanner::clear()
{
    m_kind.clear();
    m_title->clear();
    m_reason->clear();
    m_can->clear();
    m_cannot->clear();
    hide();
}

} // namespace tb::ui
