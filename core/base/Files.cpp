#include "Files.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace tb::files {

namespace {

Error ioError(const QString& path, int err)
{
    return Error{ErrorCode::IoError,
                 QStringLiteral("Cannot write %1: %2.").arg(path, QString::fromLocal8Bit(std::strerror(err))),
                 {}};
}

bool writeAll(int fd, const QByteArray& bytes)
{
    qsizetype written = 0;
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + written, static_cast<std::size_t>(bytes.size() - written));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return false;
        }
        written += n;
    }
    return true;
}

} // namespace

Result<void> writeFile(const QString& path, const QByteArray& bytes, unsigned mode, bool overwrite)
{
    const QByteArray native = QFile::encodeName(path);
    const int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (overwrite ? O_TRUNC : O_EXCL);
    const int fd = ::open(native.constData(), flags, static_cast<mode_t>(mode));
    if (fd < 0) {
        if (errno == EEXIST) {
            return fail(ErrorCode::AlreadyExists,
                        QStringLiteral("%1 already exists (use --force to replace it).").arg(path));
        }
        return fail(ErrorCode::IoError,
                    QStringLiteral("Cannot write %1: %2.").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    }
    // An existing file keeps its old mode through O_TRUNC: set it explicitly.
    bool ok = ::fchmod(fd, static_cast<mode_t>(mode)) == 0;
    qsizetype written = 0;
    while (ok && written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.constData() + written, static_cast<std::size_t>(bytes.size() - written));
        if (n < 0 && errno == EINTR) {
            continue;
        }
        ok = n > 0;
        written += n > 0 ? n : 0;
    }
    const int savedErrno = errno;
    ok = (::close(fd) == 0) && ok;
    if (!ok) {
        return fail(
            ErrorCode::IoError,
            QStringLiteral("Cannot write %1: %2.").arg(path, QString::fromLocal8Bit(std::strerror(savedErrno))));
    }
    return {};
}

Result<void> writeFileAtomic(const QString& path, const QByteArray& bytes, unsigned mode)
{
    const QFileInfo info(path);
    const QString target = info.isSymLink() ? info.symLinkTarget() : info.absoluteFilePath();
    const QString dir = QFileInfo(target).absolutePath();
    // Hidden, beside the target (rename is atomic only within one file system), unique per save.
    QByteArray temp = QFile::encodeName(dir + QStringLiteral("/.") + QFileInfo(target).fileName()) + ".tmp-XXXXXX";
    const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (fd < 0) {
        return std::unexpected(ioError(path, errno));
    }
    bool ok = ::fchmod(fd, static_cast<mode_t>(mode)) == 0 && writeAll(fd, bytes) && ::fsync(fd) == 0;
    int err = errno;
    ok = (::close(fd) == 0) && ok;
    if (ok && ::rename(temp.constData(), QFile::encodeName(target).constData()) != 0) {
        ok = false;
        err = errno;
    }
    if (!ok) {
        ::unlink(temp.constData());
        return std::unexpected(ioError(path, err));
    }
    // The rename itself must survive a power cut: sync the folder that holds the new entry.
    const int dirFd = ::open(QFile::encodeName(dir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirFd >= 0) {
        ::fsync(dirFd);
        ::close(dirFd);
    }
    return {};
}

} // namespace tb::files
