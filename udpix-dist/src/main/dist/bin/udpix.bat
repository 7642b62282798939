@echo off
rem udpix launcher of the distribution for Windows: runs io.udpix.cli.Main on lib\*.
rem   bin\udpix.bat demo
rem   set JAVA_OPTS=-Xmx2g & bin\udpix.bat serve --port 9000
rem Java: %JAVA_HOME%\bin\java.exe, else java.exe on PATH; 17 or newer (a JRE is enough).
rem The NIO driver serves Windows (and macOS): epoll is Linux only, so auto is pinned to nio here, which also spares
rem loading Netty just to find that out. An explicit --driver still wins.
setlocal EnableExtensions EnableDelayedExpansion

set "UDPIX_HOME=%~dp0.."
if not exist "%UDPIX_HOME%\lib" (
  echo udpix: !UDPIX_HOME!\lib is missing; unpack the whole udpix archive, not only bin\ 1>&2
  exit /b 1
)

if defined JAVA_HOME (
  set "JAVA_EXE=%JAVA_HOME%\bin\java.exe"
  if not exist "!JAVA_EXE!" (
    echo udpix: JAVA_HOME is !JAVA_HOME! but !JAVA_EXE! is not there; point JAVA_HOME at Java 17 or newer, or unset it 1>&2
    exit /b 1
  )
) else (
  set "JAVA_EXE=java.exe"
  where java.exe >nul 2>nul
  if errorlevel 1 (
    echo udpix: java not found; install Java 17 or newer ^(a JRE is enough^) or set JAVA_HOME 1>&2
    exit /b 1
  )
)

rem `java -version` prints first e.g.: openjdk version "17.0.15" 2025-04-15 (or "1.8.0_392" before Java 9). Values
rem that may hold parentheses (C:\Program Files (x86)\...) are expanded with !...! inside blocks; `call` keeps cmd
rem from stripping the quotes around the java path.
set "JAVA_VERSION="
for /f "tokens=3" %%v in ('call "%JAVA_EXE%" -version 2^>^&1') do (
  if not defined JAVA_VERSION set "JAVA_VERSION=%%~v"
)
set "JAVA_MAJOR="
for /f "delims=.-_+ tokens=1,2" %%a in ("!JAVA_VERSION!") do (
  set "JAVA_MAJOR=%%a"
  if "%%a"=="1" set "JAVA_MAJOR=%%b"
)
if not defined JAVA_MAJOR (
  echo udpix: cannot tell which Java !JAVA_EXE! is; udpix needs Java 17 or newer ^(set JAVA_HOME to one^) 1>&2
  exit /b 1
)
set /a JAVA_MAJOR_NUMBER=JAVA_MAJOR 2>nul
if !JAVA_MAJOR_NUMBER! LSS 17 (
  echo udpix: udpix needs Java 17 or newer, but !JAVA_EXE! is Java !JAVA_VERSION!; install a newer one and set JAVA_HOME to it 1>&2
  exit /b 1
)

"!JAVA_EXE!" %JAVA_OPTS% -Dudpix.driver=nio -cp "%UDPIX_HOME%\lib\*" io.udpix.cli.Main %*
exit /b !ERRORLEVEL!
