#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTimer;

namespace tb::ui {

class CookieFindingsModel;

// Cookies: Set-Cookie / Cookie headers (with the response URL and the session cookie's name when known)
// through the core's cookie analyser, the recommended header from its builder, and the flow rules over a
// recorded session (JSON).
class CookieLab final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CookieLab)

public:
    explicit CookieLab(QWidget* parent = nullptr);
    ~CookieLab() override = default;

    // Replaces the headers and analyses them at once.
    void setHeaders(const QByteArray& text);
    [[nodiscard]] QByteArray headers() const;
    void setUrl(const QString& url);
    void setSessionCookie(const QString& name);
    void analyse();
    void setFlow(const QByteArray& json);
    void checkFlow();
    void loadExamples();
    [[nodiscard]] CookieFindingsModel* findingsModel() const { return m_model; }
    [[nodiscard]] CookieFindingsModel* flowModel() const { return m_flowModel; }
    [[nodiscard]] QString recommendedHeader() const;

signals:
    void statusMessage(const QString& text);

private:
    QWidget* buildInputs();
    QWidget* buildResults();
    QTableView* makeTable(CookieFindingsModel* model, const QString& objectName);
    void showRecommended(const QByteArray& sessionName);
    [[nodiscard]] QString summary(const CookieFindingsModel& model) const;

    QPlainTextEdit* m_input = nullptr;
    QLineEdit* m_url = nullptr;
    QLineEdit* m_sessionName = nullptr;
    QPlainTextEdit* m_flow = nullptr;
    QLabel* m_summary = nullptr;
    QLabel* m_flowSummary = nullptr;
    QLineEdit* m_recommended = nullptr;
    CookieFindingsModel* m_model = nullptr;
    CookieFindingsModel* m_flowModel = nullptr;
    QTimer* m_debounce = nullptr;
};

} // namespace tb::ui
