#pragma once

#include <QPlainTextEdit>

namespace tb::ui {

class TokenHighlighter;

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
    // Tokens over previewBytes are shown truncated (read-only) so that laying out the text never freezes
    // the window; token() still returns every byte.
    void setToken(const QByteArray& token);
    static constexpr qsizetype previewBytes = 64 * 1024;

protected:
    void changeEvent(QEvent* event) override;

private:
    void setTextColoured(const QString& text);

    TokenHighlighter* m_highlighter = nullptr;
    QByteArray m_full; // set while a truncated preview is shown
    bool m_wasReadOnly = false;
};

} // namespace tb::ui
