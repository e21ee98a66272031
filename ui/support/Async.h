#pragma once

#include <QCoreApplication>
#include <QEventLoop>
#include <QFutureWatcher>
#include <QPointer>
#include <QProgressDialog>
#include <QPromise>
#include <QThreadPool>
#include <QtConcurrent/QtConcurrentRun>

namespace tb::ui {

// Long work runs on a pool of its own, not the global one: Qt's raster engine splits image work over the
// global pool and waits for it while painting, so a decode holding a global thread stalled the window
// (a 1 MB token: 130 ms LayoutRequest events with 8 ms of CPU in them).
inline QThreadPool* workPool()
{
    static QThreadPool* pool = new QThreadPool(QCoreApplication::instance());
    return pool;
}

// Runs `work(QPromise<T>&) -> T` on the thread pool and calls `done(T)` on the GUI thread, unless `owner`
// is gone or the user cancelled (STYLE item 19). A progress dialog with Cancel appears when the work
// takes longer than 300 ms; `work` may report progress and should poll promise.isCanceled().
// `work` must not touch widgets: give it copies of its inputs.
template <typename T, typename Work, typename Done>
QFuture<T> runAsync(QWidget* owner, const QString& label, Work work, Done done)
{
    auto* watcher = new QFutureWatcher<T>(owner);
    auto* progress = new QProgressDialog(label, QObject::tr("Cancel"), 0, 0, owner);
    progress->setWindowModality(Qt::WindowModal);
    progress->setMinimumDuration(300);
    progress->setAutoClose(false);
    progress->setAutoReset(false);
    progress->setAccessibleName(label);
    QObject::connect(progress, &QProgressDialog::canceled, watcher, [watcher] { watcher->cancel(); });
    QObject::connect(watcher, &QFutureWatcherBase::progressRangeChanged, progress, &QProgressDialog::setRange);
    QObject::connect(watcher, &QFutureWatcherBase::progressValueChanged, progress, &QProgressDialog::setValue);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner, [watcher, progress, done] {
        progress->hide();
        progress->deleteLater();
        watcher->deleteLater();
        if (watcher->isCanceled() || watcher->future().resultCount() == 0) {
            return;
        }
        done(watcher->result());
    });
    QFuture<T> future = QtConcurrent::run(
        workPool(), [work = std::move(work)](QPromise<T>& promise) { promise.addResult(work(promise)); });
    watcher->setFuture(future);
    return future;
}

// Runs `work() -> T` on the work pool and returns its result; meanwhile the window keeps painting and user
// input waits. For short steps whose result the caller needs before going on, such as the scrypt key
// derivation of a workspace save or load (~0.1 s), so that they do not freeze the window.
template <typename T, typename Work>
T runAndWait(Work work)
{
    QFuture<T> future = QtConcurrent::run(workPool(), std::move(work));
    QFutureWatcher<T> watcher;
    QEventLoop loop;
    QObject::connect(&watcher, &QFutureWatcherBase::finished, &loop, &QEventLoop::quit);
    watcher.setFuture(future);
    if (!future.isFinished()) {
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    }
    return future.result();
}

// Like runAsync, for panes that show progress inline and cancel through their own flag: no dialog, and `done(T)`
// runs on the GUI thread unless `owner` is gone. The owner must cancel and wait for the returned future before it
// dies when `work` posts to it (e.g. progress through QMetaObject::invokeMethod).
template <typename T, typename Work, typename Done>
QFuture<T> runInBackground(QObject* owner, Work work, Done done)
{
    auto* watcher = new QFutureWatcher<T>(owner);
    QObject::connect(watcher, &QFutureWatcherBase::finished, owner, [watcher, done] {
        watcher->deleteLater();
        if (watcher->future().resultCount() > 0) {
            done(watcher->result());
        }
    });
    QFuture<T> future = QtConcurrent::run(
        workPool(), [work = std::move(work)](QPromise<T>& promise) { promise.addResult(work(promise)); });
    watcher->setFuture(future);
    return future;
}

} // namespace tb::ui
