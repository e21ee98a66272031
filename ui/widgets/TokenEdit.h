#pragma once

#include <QPlainTextEdit>

namespace tb::ui {

class TokenHighlighter;
class TokenView;

// A compact token in a monospace editor, segments coloured header / payload / signature (JWE: its five
// parts cycle through the same colours). Wraps anywhere, since tokens have no spaces.
class TokenEdit final : public QPlainTextEdit
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenEdit)

public:
    explicit TokenEdit(QWidget* parent = nullptr);
    ~TokenEdit() override;

    // The trimmed Latin-1 bytes of the text, or the full token when a large one is shown truncated.
    [[nodiscard]] QByteArray token() const;
    // Tokens over previewBytes are shown whole but read-only in a TokenView over the editor, which lays
    // nothing out, so that a 10 MB paste never freezes the window; Ctrl+V there replaces the token.
    void setToken(const QByteArray& token);
    static constexpr qsizetype previewBytes = 64 * 1024;
    [[nodiscard]] TokenView* largeView() const { return m_view; }

protected:
    void changeEvent(QEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void setTextColoured(const QString& text);

    TokenHighlighter* m_highlighter = nullptr;
    TokenView* m_view = nullptr;
    QByteArray m_full; // set while a large token is shown in m_view
    bool m_wasReadOnly = false;
};

} // namespace tb::ui
