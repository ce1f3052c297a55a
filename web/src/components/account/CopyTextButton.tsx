// Copies text to the clipboard and says so. The Clipboard API exists only in secure contexts
// (HTTPS or localhost); elsewhere the button is not offered and the text stays selectable.
import { Button } from '@mantine/core';
import { useEffect, useState } from 'react';

export function CopyTextButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 2000);
    return () => clearTimeout(timer);
  }, [copied]);
  if (typeof navigator === 'undefined' || !navigator.clipboard) return null;
  return (
    <Button
      variant="default"
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setCopied(true),
          () => setCopied(false),
        );
      }}
    >
      {copied ? 'Copied' : label}
    </Button>
  );
}
