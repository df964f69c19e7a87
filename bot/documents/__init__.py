"""Documents: data in, bytes out (PDF, XLSX, PNG); no Telegram or storage imports."""
