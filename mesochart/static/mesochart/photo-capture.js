// The capture page: the tablet's camera under a ghost of the baseline photo and a framing
// guide. "Take photo" draws the video frame into a canvas, puts the JPEG into the page's own
// upload form and submits it, so a camera photo goes through exactly the path a file does.
(function () {
  "use strict";
  const video = document.getElementById("camera");
  const start = document.getElementById("start-camera");
  const take = document.getElementById("take");
  const ghost = document.getElementById("ghost");
  const opacity = document.getElementById("ghost-opacity");
  const form = document.getElementById("upload-form");
  const file = document.getElementById("photo-file");
  if (!video || !start || !take || !form || !file) return;

  function setOpacity() {
    if (ghost && opacity) ghost.style.opacity = String(Number(opacity.value) / 100);
  }
  if (opacity) opacity.addEventListener("input", setOpacity);
  setOpacity();

  start.addEventListener("click", async function () {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      start.textContent = gettext("No camera here: upload a file");
      start.disabled = true;
      return;
    }
    try {
      video.srcObject = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 4032 }, height: { ideal: 3024 } },
        audio: false,
      });
      video.hidden = false;
      await video.play();
      take.disabled = false;
      start.disabled = true;
    } catch {
      start.textContent = gettext("Camera refused: upload a file");
    }
  });

  take.addEventListener("click", function () {
    const canvas = document.createElement("canvas");
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext("2d").drawImage(video, 0, 0);
    canvas.toBlob(function (blob) {
      const transfer = new DataTransfer();
      transfer.items.add(new File([blob], "camera.jpg", { type: "image/jpeg" }));
      file.files = transfer.files;
      form.requestSubmit();
    }, "image/jpeg", 0.92);
  });
})();
