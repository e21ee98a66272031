#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QTextStream>

#include "MainWindow.h"
#include "support/Preferences.h"

int main(int argc, char** argv)
{
    Q_INIT_RESOURCE(tokenbench_ui); // the resources live in the static UI library
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("tokenbench"));
    QApplication::setOrganizationName(QStringLiteral("tokenbench"));
    QApplication::setApplicationVersion(QStringLiteral(TB_VERSION));
    // Lets Wayland shells match the window to the installed .desktop file (packaging/Package.cmake).
    QGuiApplication::setDesktopFileName(QStringLiteral(TB_APP_ID));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/tokenbench.svg")));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("A desktop workbench for authentication tokens."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"), QStringLiteral("Render every pane with sample data to DIR/<pane>.png and exit."),
        QStringLiteral("DIR"));
    parser.addOption(screenshot);
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   QStringLiteral("Appearance for this run: system, light or dark (default: the "
                                                  "preference set in Edit > Preferences)."),
                                   QStringLiteral("THEME"));
    parser.addOption(theme);
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("A token, key or workspace file to open."),
                                 QStringLiteral("[file]"));
    parser.process(app);

    using tb::ui::Preferences;
    const Preferences::Theme look =
        parser.isSet(theme) ? tb::ui::themeFromName(parser.value(theme)) : Preferences::instance().theme();
    if (look != Preferences::Theme::System) {
        Preferences::applyTheme(look);
    }
    tb::ui::MainWindow window;
    if (parser.isSet(screenshot)) {
        window.resize(1360, 860);
        window.loadSampleData();
        window.show();
        const bool ok = window.renderScreenshots(parser.value(screenshot));
        if (!ok) {
            QTextStream(stderr) << "tokenbench: could not write the screenshots to " << parser.value(screenshot)
                                << "\n";
        }
        return ok ? 0 : 1;
    }
    window.show();
    const QStringList files = parser.positionalArguments();
    if (!files.isEmpty()) {
        window.openPath(files.first());
    }
    return QApplication::exec();
}
