#pragma once

#include <QFrame>

#include "inspect/Identify.h"

class QLabel;

namespace tb::ui {

// One banner above the token: what the pasted string is and why (core/inspect/Identify), then what tokenbench
// can and cannot do with it.
class IdentityBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IdentityBanner)

public:
    explicit IdentityBanner(QWidget* parent = nullptr);
    ~IdentityBanner() override;

    void showIdentification(const inspect::Identification& id);
    void clear();
    [[nodiscard]] QString kind() const { return m_kind; }

    // "JWE (encrypted token)", "Fernet token", ...: the title for an identify kind.
    static QString title(const QString& kind);

private:
    QLabel* m_title = nullptr;
    QLabel* m_reason = nullptr;
    QLabel* m_can = nullptr;
    QLabel* m_cannot = nullptr;
    QString m_kind;
};

} // namespace tb::ui
