#pragma once

#include "panes/PaneBase.h"

class QTabWidget;

namespace tb::ui {

class CookieLab;
class IdLab;
class StoreLab;
class Workspace;

// Session lab (issue 5): session IDs (generate, analyse a sample), cookies (Set-Cookie analyser, recommended
// header, flow rules) and stores (lookup latency against JWT verification), one tab each.
class SessionPane final : public PaneBase
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SessionPane)

public:
    enum Section
    {
        IdsSection,
        CookiesSection,
        StoresSection,
    };

    explicit SessionPane(Workspace* workspace, QWidget* parent = nullptr);
    ~SessionPane() override;

    void prepareScreenshot() override;

    void showSection(Section section);
    [[nodiscard]] Section currentSection() const;
    // Opens the Cookies tab with `text` (Set-Cookie / Cookie header lines) and analyses it.
    void openCookieHeaders(const QByteArray& text);

    [[nodiscard]] IdLab* idLab() const { return m_ids; }
    [[nodiscard]] CookieLab* cookieLab() const { return m_cookies; }
    [[nodiscard]] StoreLab* storeLab() const { return m_stores; }

private:
    QTabWidget* m_tabs = nullptr;
    IdLab* m_ids = nullptr;
    CookieLab* m_cookies = nullptr;
    StoreLab* m_stores = nullptr;
};

} // namespace tb::ui
